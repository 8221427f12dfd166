import { kyvernoConfig, namespaceLabels } from "../admission/index.ts";
import { policiesSelecting } from "../admission/kyverno/index.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import { podOf } from "../hydrate/pods.ts";
import type { Cluster, Estate, Placement } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { managementHome, rancherUrl } from "../management/rancher.ts";
import { UNMANAGED_NAMESPACES } from "../namespaces/preexisting.ts";
import { podViews } from "../reachability/pods.ts";
import { ClusterPolicies, type PodView } from "../reachability/policies.ts";
import { exposureOf } from "../sovereignty/exposure.ts";
import { closest } from "../suggest.ts";

/** Why a data level puts a workload where it is (the rules in lib/rules/). */
const PLACEMENT_REASON = {
  high: "data-level=high never leaves the datacenter: on-prem clusters only (geo-fencing), no external endpoints, internal models only",
  medium:
    "data-level=medium stays on-prem by default; it may reach an external model only through a workload that anonymises first",
  low: "data-level=low (public) may run anywhere and may use the external model",
} as const;

const podName = (p: PodView) => `${p.namespace}/${p.name}`;

/** Everything `explain` reads: the estate and the hydrated objects of every cluster (dist/ + charts + operators). */
export interface ExplainInput {
  readonly estate: Estate;
  readonly objects: readonly HydratedObject[];
}

function clusterObjects(input: ExplainInput, cluster: Cluster) {
  return input.objects.filter((o) => o.cluster === cluster.name);
}

/** Who may open which port on these pods, and what they may open, from the rendered NetworkPolicies. */
function reachability(cluster: Cluster, objects: readonly HydratedObject[], own: PodView[]) {
  const policies = new ClusterPolicies(
    objects.map((o) => o.manifest),
    cluster.platform.cni,
  );
  for (const namespace of UNMANAGED_NAMESPACES) policies.addNamespace(namespace);
  const pods = podViews(objects).filter((p) => !own.some((o) => podName(o) === podName(p)));
  const inbound = new Set<string>();
  const outbound = new Set<string>();
  for (const mine of own) {
    for (const port of mine.ports)
      for (const other of pods)
        if (policies.reachable(other, mine, port.port, port.protocol))
          inbound.add(`${podName(other)} -> ${port.port}`);
    for (const other of pods)
      for (const port of other.ports)
        if (policies.reachable(mine, other, port.port, port.protocol))
          outbound.add(`${podName(other)}:${port.port}`);
    const ranges = [
      ...Object.entries(cluster.externalEndpoints).map(([name, e]) => [name, e.cidr, e.port] as const),
      ["api-server", cluster.network.controlPlane, 6443] as const,
    ];
    for (const [name, cidr, port] of ranges)
      if (policies.allows(mine, "Egress", { cidr }, port, "TCP")) outbound.add(`${name} ${cidr}:${port}`);
  }
  return { inbound: [...inbound].sort(), outbound: [...outbound].sort() };
}

function routesTo(objects: readonly HydratedObject[], namespace: string, service: string): string[] {
  return objects
    .filter((o) => o.manifest.kind === "HTTPRoute" && o.manifest.metadata?.namespace === namespace)
    .filter((o) =>
      ((o.manifest.spec as any)?.rules ?? []).some((r: any) =>
        (r.backendRefs ?? []).some((b: any) => b.name === service),
      ),
    )
    .map((o) => {
      const spec = o.manifest.spec as any;
      const path = spec.rules?.[0]?.matches?.[0]?.path?.value ?? "/";
      const plugins = o.manifest.metadata?.annotations?.["konghq.com/plugins"] ?? "none";
      return `${(spec.hostnames ?? []).join(", ")}${path} on gateway ${spec.parentRefs?.[0]?.name} (plugins: ${plugins})`;
    });
}

function explainPlacement(input: ExplainInput, p: Placement): string[] {
  const objects = clusterObjects(input, p.cluster);
  const deployment = objects.find(
    (o) =>
      o.manifest.kind === "Deployment" &&
      o.manifest.metadata?.namespace === p.namespace &&
      o.manifest.metadata?.name === p.workload.name,
  )?.manifest as Manifest | undefined;
  const lines = [`  ${p.stage} on ${p.cluster.name}, namespace ${p.namespace}`];
  if (!deployment) return [...lines, "    not in dist/: run npm run synth"];
  const pod = podOf(deployment) as Manifest;
  lines.push(`    image: ${(pod.spec as any).containers.map((c: any) => c.image).join(", ")}`);
  const labels = namespaceLabels(objects).get(p.namespace) ?? {};
  const home = managementHome(input.estate);
  if (home && home !== p.cluster) lines.push(`    managed by: Rancher on ${home.name} (${rancherUrl(home)})`);
  const pools = p.cluster.autoscaling?.pools ?? [];
  if (pools.length > 0)
    lines.push(
      `    nodes: ${pools.map((pool) => `${pool.name}, ${pool.min}-${pool.max} (cluster-autoscaler)`).join("; ")}`,
    );
  lines.push(`    pod security: ${labels["pod-security.kubernetes.io/enforce"] ?? "(none)"}`);
  lines.push("    policies that select it:");
  for (const s of policiesSelecting(pod, labels, kyvernoConfig(objects)))
    lines.push(
      `      ${s.kind} ${s.policy}: ${s.actions.join(", ")}${s.exempt ? " (exempted by a PolicyException)" : ""}`,
    );
  const own = podViews(objects).filter((v) => v.namespace === p.namespace && v.name === p.workload.name);
  const { inbound, outbound } = reachability(p.cluster, objects, own);
  lines.push(
    "    who may reach it:",
    ...(inbound.length ? inbound.map((l) => `      ${l}`) : ["      nobody"]),
  );
  lines.push(
    "    whom it may reach:",
    ...(outbound.length ? outbound.map((l) => `      ${l}`) : ["      nobody"]),
  );
  const routes = routesTo(objects, p.namespace, p.workload.name);
  lines.push("    routes:", ...(routes.length ? routes.map((r) => `      ${r}`) : ["      none"]));
  const { clusters, placements } = input.estate;
  lines.push("    data exposure:", ...exposureOf(clusters, placements, p).map((l) => `      ${l}`));
  return lines;
}

function explainWorkload(input: ExplainInput, name: string): string {
  const placements = input.estate.placements.filter((p) => p.workload.name === name);
  const workload = placements[0]?.workload;
  if (!workload) return "";
  return [
    `workload ${name} (${workload.source}): ${workload.description}`,
    `  data level ${workload.dataLevel}: ${PLACEMENT_REASON[workload.dataLevel]}`,
    ...placements.flatMap((p) => explainPlacement(input, p)),
  ].join("\n");
}

function explainNamespace(input: ExplainInput, namespace: string): string {
  const placements = input.estate.placements.filter((p) => p.namespace === namespace);
  return [
    `namespace ${namespace}: ${[...new Set(placements.map((p) => p.cluster.name))].join(", ")}`,
    ...placements.flatMap((p) =>
      explainPlacement(input, p)
        .map((l) => `${l}`)
        .map((l, i) => (i === 0 ? `  ${p.workload.name}: ${l.trim()}` : l)),
    ),
  ].join("\n");
}

function explainCluster(input: ExplainInput, cluster: Cluster): string {
  const objects = clusterObjects(input, cluster);
  const placements = input.estate.placements.filter((p) => p.cluster === cluster);
  const policies = kyvernoConfig(objects).policies.map((p) => {
    const actions = (p.spec as any)?.validationActions ?? (p.kind === "MutatingPolicy" ? ["Mutate"] : []);
    return `  ${p.kind} ${p.metadata?.name}: ${actions.join(", ") || "generate"}`;
  });
  return [
    `cluster ${cluster.name} (${cluster.source}): ${cluster.description}`,
    `  ${cluster.location}, stages ${cluster.stages.join(", ")}, ${cluster.production ? "policies deny" : "policies audit"}${cluster.gpuNodes ? ", GPU nodes" : ""}`,
    `  hosts: ${cluster.hosts.join(", ") || "no platform service"}`,
    `  workloads: ${placements.map((p) => `${p.namespace}/${p.workload.name}`).join(", ") || "none"}`,
    "  policies:",
    ...policies,
  ].join("\n");
}

/** What `npm run explain -- <name>` prints for a workload, namespace or cluster; an unknown name throws. */
export function explain(input: ExplainInput, name: string): string {
  const cluster = input.estate.clusters.find((c) => c.name === name);
  if (cluster) return explainCluster(input, cluster);
  if (input.estate.workloads.some((w) => w.name === name)) return explainWorkload(input, name);
  if (input.estate.placements.some((p) => p.namespace === name)) return explainNamespace(input, name);
  const names = [
    ...input.estate.clusters.map((c) => c.name),
    ...input.estate.workloads.map((w) => w.name),
    ...new Set(input.estate.placements.map((p) => p.namespace)),
  ];
  throw new Error(`"${name}" is no workload, namespace or cluster of the estate${closest(name, names)}`);
}
