import { BARMAN_PLUGIN } from "../data/backups.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { byCluster } from "./by-cluster.ts";
import { cnpgAccess, cnpgServices, cnpgVolumeClaims } from "./cnpg-objects.ts";
import { fluxDistribution } from "./flux-distribution.ts";
import { type GpuNodeFacts, gpuOperands } from "./gpu-operands.ts";
import type { HydratedObject, HydrationProblem } from "./index.ts";
import { kyvernoWebhooks } from "./kyverno-webhooks.ts";
import {
  cnpgInstancePods,
  cnpgJobPods,
  keycloakPods,
  keycloakServices,
  realmImportPod,
} from "./operators.ts";

/** What operators create from the custom resources: database and Keycloak pods, GPU operands. */
export function operatorObjects(
  root: string,
  all: readonly HydratedObject[],
  gpuNodes: ReadonlyMap<string, GpuNodeFacts>,
  problems: HydrationProblem[],
): HydratedObject[] {
  const created: HydratedObject[] = [];
  for (const [cluster, objects] of byCluster(all)) {
    created.push(...clusterOperatorPods(objects, problems));
    for (const manifest of kyvernoWebhooks(objects))
      created.push({ cluster, origin: "operator Kyverno admission controller", manifest });
    created.push(...fluxControllers(root, objects, problems));
    for (const { manifest, origin: file } of objects) {
      if (manifest.kind !== "ClusterPolicy" || !manifest.apiVersion.startsWith("nvidia.com/")) continue;
      const subject = `ClusterPolicy ${manifest.metadata?.name}`;
      const operator = gpuOperator(objects);
      if (!operator) {
        problems.push({
          cluster,
          file,
          subject,
          message: "cannot prove its operands: no GPU operator Deployment",
        });
        continue;
      }
      const operands = gpuOperands(root, manifest, operator, gpuNodes.get(cluster));
      for (const message of operands.problems) problems.push({ cluster, file, subject, message });
      const origin = `operator ${subject}`;
      for (const m of operands.objects) created.push({ cluster, origin, manifest: m });
    }
  }
  return created;
}

/** What the Flux Operator deploys from the cluster's FluxInstance: the controllers and their policies. */
function fluxControllers(
  root: string,
  objects: readonly HydratedObject[],
  problems: HydrationProblem[],
): HydratedObject[] {
  return objects
    .filter((o) => o.manifest.kind === "FluxInstance")
    .flatMap(({ cluster, manifest, origin: file }) => {
      const subject = `FluxInstance ${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
      const built = fluxDistribution(root, manifest);
      for (const message of built.problems) problems.push({ cluster, file, subject, message });
      return built.objects.map((m) => ({ cluster, origin: `operator ${subject}`, manifest: m }));
    });
}

/** The GPU operator's Deployment: where it runs and which release's operand assets it carries. */
function gpuOperator(objects: readonly HydratedObject[]): { namespace: string; version: string } | undefined {
  for (const { manifest } of objects) {
    if (manifest.kind !== "Deployment") continue;
    const image = (manifest.spec as any)?.template?.spec?.containers?.[0]?.image as string | undefined;
    const match = image?.match(/\/gpu-operator:(v[\w.-]+)$/);
    if (match?.[1] && manifest.metadata?.namespace)
      return { namespace: manifest.metadata.namespace, version: match[1] };
  }
  return undefined;
}

/** The pods the operators create from one cluster's custom resources. */
function clusterOperatorPods(
  objects: readonly HydratedObject[],
  problems: HydrationProblem[],
): HydratedObject[] {
  const pods: HydratedObject[] = [];
  for (const { cluster, manifest, origin: file } of objects) {
    const origin = `operator ${manifest.kind} ${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
    const imageFrom = (deployment: string, env?: string) =>
      deploymentImage(objects, cluster, deployment, env);
    let created: Manifest[] = [];
    if (manifest.apiVersion === "postgresql.cnpg.io/v1" && manifest.kind === "Cluster") {
      const operatorImage = imageFrom("cloudnative-pg") ?? "";
      const jobs = cnpgJobPods(manifest, operatorImage);
      if (jobs.unmodelled)
        problems.push({
          cluster,
          file,
          subject: `Cluster ${manifest.metadata?.namespace}/${manifest.metadata?.name}`,
          message: `cannot prove: ${jobs.unmodelled}`,
        });
      created = [
        ...cnpgInstancePods(manifest, operatorImage, backupSidecar(objects, cluster, manifest)),
        ...jobs.pods,
        ...cnpgServices(manifest),
        ...cnpgVolumeClaims(manifest),
        ...cnpgAccess(manifest),
      ];
    } else if (manifest.apiVersion === "k8s.keycloak.org/v2alpha1" && manifest.kind === "Keycloak")
      created = [
        ...keycloakPods(manifest, imageFrom("keycloak-operator", "RELATED_IMAGE_KEYCLOAK")),
        ...keycloakServices(manifest),
      ];
    else if (manifest.apiVersion === "k8s.keycloak.org/v2alpha1" && manifest.kind === "KeycloakRealmImport") {
      const keycloak = objects.find(
        (o) =>
          o.cluster === cluster &&
          o.manifest.kind === "Keycloak" &&
          o.manifest.metadata?.namespace === manifest.metadata?.namespace &&
          o.manifest.metadata?.name === (manifest.spec as { keycloakCRName?: string })?.keycloakCRName,
      );
      if (keycloak)
        created = [
          realmImportPod(
            manifest,
            keycloak.manifest,
            imageFrom("keycloak-operator", "RELATED_IMAGE_KEYCLOAK"),
          ),
        ];
    }
    for (const pod of created) pods.push({ cluster, origin, manifest: pod });
  }
  return pods;
}

/**
 * The Barman Cloud sidecar a Cluster's pods get when it archives through the plugin: the image from
 * the plugin's ConfigMap, the resources from the Cluster's ObjectStore.
 */
function backupSidecar(objects: readonly HydratedObject[], cluster: string, db: Manifest) {
  const plugin = ((db.spec as any)?.plugins ?? []).find(
    (p: any) => p.name === BARMAN_PLUGIN && p.isWALArchiver,
  );
  if (!plugin) return undefined;
  const find = (kind: string, name: string, namespace?: string) =>
    objects.find(
      (o) =>
        o.cluster === cluster &&
        o.manifest.kind === kind &&
        o.manifest.metadata?.name === name &&
        (namespace === undefined || o.manifest.metadata?.namespace === namespace),
    )?.manifest as any;
  const store = find("ObjectStore", plugin.parameters?.barmanObjectName, db.metadata?.namespace);
  const config = find("ConfigMap", "plugin-barman-cloud-config");
  return {
    image: String(config?.data?.SIDECAR_IMAGE ?? ""),
    resources: store?.spec?.instanceSidecarConfiguration?.resources ?? {},
  };
}

/** The image of an operator's Deployment on a cluster, or the value of one of its env variables. */
function deploymentImage(
  objects: readonly HydratedObject[],
  cluster: string,
  name: string,
  env?: string,
): string | undefined {
  const deployment = objects.find(
    (o) => o.cluster === cluster && o.manifest.kind === "Deployment" && o.manifest.metadata?.name === name,
  );
  const container = (deployment?.manifest.spec as any)?.template?.spec?.containers?.[0];
  if (!env) return container?.image;
  return container?.env?.find((e: { name: string }) => e.name === env)?.value;
}
