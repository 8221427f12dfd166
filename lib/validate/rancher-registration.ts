import { createHash } from "node:crypto";
import type { HydratedObject } from "../hydrate/index.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { RANCHER_NAMESPACE, REGISTRATION_NAMESPACE } from "../platform.ts";
import { secretValues } from "../secrets/public.ts";

type Spec = Record<string, any>;

/**
 * Across the estate, as rendered: one Rancher server at most, with Fleet off (Flux owns the desired
 * state); every other cluster registered on it (a provisioning.cattle.io Cluster) and running an
 * agent that will connect: CATTLE_SERVER is the server's `server-url`, CATTLE_CA_CHECKSUM the SHA-256
 * of the `cacerts` the server serves (its tls-ca Secret), STRICT_VERIFY on. A registration without an
 * agent, or an agent without a registration, is named.
 */
export function rancherRegistrationProblems(
  objectsOf: ReadonlyMap<string, readonly HydratedObject[]>,
): string[] {
  const servers = [...objectsOf].flatMap(([cluster, objects]) => {
    const server = deployment(objects, "rancher");
    return server ? [{ cluster, objects, server }] : [];
  });
  if (servers.length > 1)
    return [
      `Rancher servers on ${servers.map((s) => s.cluster).join(", ")}: the estate has one management home`,
    ];
  const [home] = servers;
  const agents = [...objectsOf].flatMap(([cluster, objects]) => {
    const agent = deployment(objects, "cattle-cluster-agent");
    return agent ? [{ cluster, agent }] : [];
  });
  if (!home)
    return agents.map((a) => `cluster "${a.cluster}": a Rancher agent, and no Rancher server in the estate`);
  const at = `cluster "${home.cluster}": Rancher`;
  const env = envOf(home.server);
  const problems: string[] = [];
  const features = (env.get("CATTLE_FEATURES") ?? "").split(",");
  if (!features.includes("fleet=false"))
    problems.push(`${at}: CATTLE_FEATURES does not switch Fleet off (fleet=false): a second GitOps engine`);
  const url = env.get("CATTLE_SERVER_URL");
  const cacerts = publicValue(home.objects, "tls-ca", "cacerts.pem");
  const checksum = cacerts && createHash("sha256").update(`${cacerts.trimEnd()}\n`).digest("hex");
  const registered = new Set(
    home.objects
      .filter(
        (o) =>
          o.manifest.kind === "Cluster" &&
          o.manifest.apiVersion.startsWith("provisioning.cattle.io/") &&
          o.manifest.metadata?.namespace === REGISTRATION_NAMESPACE,
      )
      .map((o) => o.manifest.metadata?.name as string),
  );
  for (const { cluster, agent } of agents) {
    const where = `cluster "${cluster}": cattle-system/cattle-cluster-agent`;
    const own = envOf(agent);
    if (!registered.has(cluster))
      problems.push(
        `${where}: not registered on ${home.cluster} (no provisioning.cattle.io Cluster ${cluster})`,
      );
    if (!url || own.get("CATTLE_SERVER") !== url)
      problems.push(
        `${where}: CATTLE_SERVER "${own.get("CATTLE_SERVER") ?? ""}" is not the server's URL "${url ?? "unset"}"`,
      );
    if (!checksum || own.get("CATTLE_CA_CHECKSUM") !== checksum)
      problems.push(
        `${where}: CATTLE_CA_CHECKSUM does not match the cacerts ${home.cluster} serves; the agent refuses the server`,
      );
    if (own.get("STRICT_VERIFY") !== "true")
      problems.push(
        `${where}: STRICT_VERIFY is not "true"; the agent would trust more than the organisation's CA`,
      );
  }
  for (const name of registered)
    if (!agents.some((a) => a.cluster === name))
      problems.push(`${at}: provisioning.cattle.io Cluster ${name} has no agent on a cluster of that name`);
  return problems;
}

function deployment(objects: readonly HydratedObject[], name: string): Manifest | undefined {
  return objects.find(
    (o) =>
      o.manifest.kind === "Deployment" &&
      o.manifest.metadata?.namespace === RANCHER_NAMESPACE &&
      o.manifest.metadata?.name === name,
  )?.manifest;
}

function envOf(deployment: Manifest): Map<string, string> {
  const env = ((deployment.spec as Spec)?.template?.spec?.containers?.[0]?.env ?? []) as Spec[];
  return new Map(env.filter((e) => typeof e.value === "string").map((e) => [e.name, e.value]));
}

/** A key of a Secret in cattle-system (the public CA bundle Rancher serves). */
function publicValue(objects: readonly HydratedObject[], name: string, key: string): string | undefined {
  const secret = objects.find(
    (o) =>
      o.manifest.kind === "Secret" &&
      o.manifest.metadata?.namespace === RANCHER_NAMESPACE &&
      o.manifest.metadata?.name === name,
  )?.manifest;
  return secret && secretValues(secret)[key];
}
