import { type AdmissionReport, admissionReport } from "../admission/index.ts";
import { connectionsOf } from "../connections/index.ts";
import { metricsEndpoints } from "../connections/metrics.ts";
import { checkPlatformContracts } from "../contract/check.ts";
import { BUCKET_CONSUMERS, STORE_BUCKETS } from "../data/buckets.ts";
import { PRUNE_DISABLED } from "../flux/constants.ts";
import { byCluster } from "../hydrate/by-cluster.ts";
import { gpuNodesOf } from "../hydrate/gpu-operands.ts";
import { type HydratedEstate, type HydratedObject, hydrate } from "../hydrate/index.ts";
import { imagesOf } from "../hydrate/pods.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { metricCatalogue } from "../observability/metric-catalogue.ts";
import { type ClusterReachability, proveReachability } from "../reachability/index.ts";
import { imageOutsideMirror, sourceOutsideMirrors } from "../rules/offline-sources.ts";
import { checkSecrets, type SecretsReport } from "../secrets/check.ts";
import { platformTransferProblems } from "../sovereignty/platform-transfers.ts";
import { replicationReachProblems } from "../sovereignty/replication-reach.ts";
import { telemetryTransferProblems } from "../sovereignty/telemetry-transfers.ts";
import { alertRuleProblems, dashboardQueryProblems } from "./alert-rules.ts";
import { apiAccessProblems } from "./api-access.ts";
import { caKeyProblems, externalClusterTrustProblems } from "./certificate-trust.ts";
import { customResourceProblems } from "./custom-resources.ts";
import { databaseCredentialProblems } from "./database-credentials.ts";
import { gatewayTunnelProblems } from "./gateway-tunnel.ts";
import { humanAccessProblems } from "./human-access.ts";
import { metricsEndpointProblems } from "./metrics-endpoints.ts";
import { proveBucketAccess } from "./prove-bucket-access.ts";
import { rancherRegistrationProblems } from "./rancher-registration.ts";
import { releaseValuesProblems } from "./release-values.ts";
import { scaleDownProblems } from "./scale-down.ts";
import { workloadStartProblems } from "./workload-start.ts";

const PRUNE_ANNOTATION = Object.keys(PRUNE_DISABLED)[0] as string;

export interface HydratedValidation {
  readonly problems: readonly string[];
  readonly hydrated: HydratedEstate;
  readonly admission: AdmissionReport;
  /** Images of the hydrated estate, pods and GPU operands, per cluster. */
  readonly images: number;
  /** Per cluster: the connections the rendered NetworkPolicies allow, proven against the declarations. */
  readonly reachability: readonly ClusterReachability[];
  /** Per cluster: every Secret reference and its source. */
  readonly secrets: readonly SecretsReport[];
}

/**
 * The day-1 checks on the hydrated estate (dist/ + chart renders + mirrored manifests + operator
 * pods): every chart renders with its values, every pod is admitted (Pod Security, and Kyverno where
 * it denies), every webhook selector is one the API server accepts, and on-prem clusters use nothing
 * outside the organisation's mirrors.
 */
export async function validateHydrated(
  root: string,
  files: ReadonlyMap<string, string>,
  estate: Estate,
): Promise<HydratedValidation> {
  const { clusters } = estate;
  const hydrated = await hydrate(root, files, gpuNodesOf(clusters));
  const problems: string[] = [];
  const report = (file: string, cluster: string, subject: string, message: string) =>
    problems.push(`${file}: cluster "${cluster}": ${subject}: ${message}`);
  for (const p of hydrated.problems) report(p.file, p.cluster, p.subject, p.message);
  const admission = admissionReport(hydrated.objects);
  for (const f of [...admission.denied, ...admission.invalidSelectors])
    report(f.origin, f.cluster, f.subject, `${f.rule}: ${f.message}`);

  for (const { release, message } of await releaseValuesProblems(root, hydrated.releases, estate.components))
    report(
      release.file,
      release.cluster,
      `HelmRelease ${release.target.namespace}/${release.target.name}`,
      message,
    );
  for (const release of hydrated.releases) {
    const volumes = dataVolumes(release.objects);
    const hr = hydrated.objects.find((o) => o.origin === release.file)?.manifest;
    if (volumes.length && hr?.metadata?.annotations?.[PRUNE_ANNOTATION] !== "disabled")
      report(
        release.file,
        release.cluster,
        `HelmRelease ${release.target.namespace}/${release.target.name}`,
        `its chart keeps data (${volumes.join(", ")}) but the HelmRelease may be pruned; set keepsData in its component descriptor`,
      );
  }

  const images = mirrorProblems(clusters, hydrated.objects, report);
  const objectsOf = byCluster(hydrated.objects);
  const reachability = clusters.map((cluster) =>
    proveReachability(
      cluster.name,
      cluster.platform.cni,
      objectsOf.get(cluster.name) ?? [],
      connectionsOf(cluster, estate),
    ),
  );
  for (const r of reachability)
    for (const problem of r.problems)
      problems.push(`dist/clusters/${r.cluster}: cluster "${r.cluster}": network: ${problem}`);
  problems.push(
    ...clusterProblems(estate, objectsOf),
    ...estateProblems(root, estate, hydrated.objects, objectsOf),
  );
  const secrets = clusters.map((cluster) => checkSecrets(objectsOf.get(cluster.name) ?? []));
  for (const [i, report] of secrets.entries())
    for (const problem of report.problems)
      problems.push(`cluster "${clusters[i]?.name}": secrets: ${problem}`);
  return { problems, hydrated, admission, images, reachability, secrets };
}

/** Sources and images outside the cluster's mirrors, reported; returns how many images were judged. */
function mirrorProblems(
  clusters: readonly Cluster[],
  objects: readonly HydratedObject[],
  report: (file: string, cluster: string, subject: string, message: string) => void,
): number {
  let images = 0;
  const clusterNamed = new Map(clusters.map((c) => [c.name, c]));
  for (const { cluster: name, origin, manifest } of objects) {
    const cluster = clusterNamed.get(name);
    if (!cluster) continue;
    const subject = `${manifest.kind} ${manifest.metadata?.namespace ?? ""}/${manifest.metadata?.name}`;
    const source = sourceOutsideMirrors(cluster, manifest);
    if (source) report(origin, name, subject, source);
    for (const image of imagesOf(manifest)) {
      images++;
      const outside = imageOutsideMirror(cluster, image);
      if (outside) report(origin, name, subject, outside);
    }
  }
  return images;
}

/** What each cluster must hold on its own objects: contract, start-up, scale-down, access, the tunnel. */
function clusterProblems(estate: Estate, objectsOf: ReadonlyMap<string, HydratedObject[]>): string[] {
  const problems = [...checkPlatformContracts(estate.clusters, objectsOf)];
  for (const cluster of estate.clusters) {
    const own = objectsOf.get(cluster.name) ?? [];
    problems.push(
      ...workloadStartProblems(cluster.name, own),
      ...scaleDownProblems(cluster, own, estate.components),
      ...customResourceProblems(cluster, estate, own),
      ...apiAccessProblems(cluster, own, connectionsOf(cluster, estate)),
      ...humanAccessProblems(cluster, own),
      ...gatewayTunnelProblems(cluster, estate, own),
      ...caKeyProblems(cluster, own),
      ...metricsEndpointProblems(cluster.name, metricsEndpoints(cluster, estate), own),
    );
    if (cluster.hosts.includes("data"))
      problems.push(...proveBucketAccess(cluster.name, own, BUCKET_CONSUMERS, STORE_BUCKETS));
  }
  return problems;
}

/** What holds across clusters: database credentials and every way data leaves where it lives. */
function estateProblems(
  root: string,
  estate: Estate,
  objects: readonly HydratedObject[],
  objectsOf: ReadonlyMap<string, HydratedObject[]>,
): string[] {
  return [
    ...databaseCredentialProblems(estate, objectsOf),
    ...externalClusterTrustProblems(estate, objectsOf),
    ...rancherRegistrationProblems(objectsOf),
    ...metricQueryProblems(root, estate, objects),
    ...platformTransferProblems(estate.clusters, objects),
    ...telemetryTransferProblems(estate, objects),
    ...replicationReachProblems(objects),
  ];
}

/** PersistentVolumeClaims and StatefulSets with volume claims among a chart's objects. */
function dataVolumes(objects: readonly Manifest[]): string[] {
  return objects
    .filter(
      (m) =>
        m.kind === "PersistentVolumeClaim" ||
        (m.kind === "StatefulSet" && ((m.spec as any)?.volumeClaimTemplates ?? []).length > 0),
    )
    .map((m) => `${m.kind} ${m.metadata?.name}`);
}

/** Alert rules and dashboards query only what the scraped exporters expose. */
function metricQueryProblems(root: string, estate: Estate, objects: readonly HydratedObject[]): string[] {
  const catalogue = metricCatalogue(root, estate.components);
  const jobs = new Set(estate.clusters.flatMap((c) => metricsEndpoints(c, estate).map((e) => e.job)));
  return [
    ...alertRuleProblems(objects, catalogue, jobs),
    ...dashboardQueryProblems(objects, catalogue, jobs),
  ];
}
