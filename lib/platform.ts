import type { Cluster, Estate } from "./inventory/model.ts";
import type { PlatformService, Stage } from "./inventory/schema.ts";

/** Namespaces of the platform components that other constructs refer to. */
export const KONG_NAMESPACE = "kong";
export const KYVERNO_NAMESPACE = "kyverno";

/** Rancher's own namespace, on the server and on every managed cluster (its `namespace.System`). */
export const RANCHER_NAMESPACE = "cattle-system";
/** Where the provisioning.cattle.io Clusters live on the management home (Rancher's default). */
export const REGISTRATION_NAMESPACE = "fleet-default";

/** Keycloak, the OIDC authority of every cluster, runs on-prem; its realm for the estate. */
export const KEYCLOAK_NAMESPACE = "identity";
export const KEYCLOAK_REALM = "waterschap";

/** The one cluster that hosts a platform service (validated when the inventory loads). */
export function homeOf(estate: Pick<Estate, "clusters">, service: PlatformService): Cluster {
  const home = estate.clusters.find((c) => c.hosts.includes(service));
  if (!home) throw new Error(`no cluster hosts ${service}`);
  return home;
}

export function keycloakIssuer(estate: Pick<Estate, "clusters">): string {
  return `https://sso.${homeOf(estate, "identity").dns.domain}/realms/${KEYCLOAK_REALM}`;
}

/** A platform component that catalogue workloads may declare flows to, like another workload. */
export interface PlatformEndpoint {
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}

/**
 * The platform endpoints a cluster runs for one environment, derived from its capabilities and the
 * services it hosts. A non-prod cluster gives each environment its own databases (synthetic data) in
 * `<stage>-data`, so dev, test and acc never share one.
 */
export function endpointsOn(cluster: Cluster, stage?: Stage): PlatformEndpoint[] {
  const endpoints: PlatformEndpoint[] = [];
  if (runsOllama(cluster)) {
    endpoints.push({
      name: "ollama",
      namespace: OLLAMA_NAMESPACE,
      podLabels: { "app.kubernetes.io/name": "ollama" },
      port: 11434,
    });
  }
  const database = (name: string) =>
    endpoints.push({
      name,
      namespace: dataNamespaceOf(cluster, stage),
      podLabels: { "cnpg.io/cluster": name },
      port: 5432,
    });
  if (cluster.hosts.includes("data") || !cluster.production) database("postgis");
  if ((cluster.location === "cloud" && cluster.production) || !cluster.production) database("portal-db");
  return endpoints;
}

/** Ollama runs on the datacenter's clusters with GPU nodes. */
export function runsOllama(cluster: Cluster): boolean {
  return cluster.gpuNodes && cluster.location === "on-prem";
}

/** Where an environment's databases live: `data` on production clusters, `<stage>-data` elsewhere. */
export function dataNamespaceOf(cluster: Cluster, stage: Stage | undefined): string {
  if (cluster.production) return DATA_NAMESPACE;
  if (!stage) throw new Error(`${cluster.name} holds one data namespace per stage: name the stage`);
  return `${stage}-${DATA_NAMESPACE}`;
}

export const OLLAMA_NAMESPACE = "ollama";
/** The cluster-autoscaler's namespace, on clusters that autoscale (charts/components/cluster-autoscaler.ts). */
export const AUTOSCALER_NAMESPACE = "cluster-autoscaler";
/** The NVIDIA GPU operator's namespace, on clusters with GPU nodes. */
export const GPU_OPERATOR_NAMESPACE = "gpu-operator";
/** Namespace on a cloud cluster holding the ExternalName Services that forward to on-prem gateways. */
export const FORWARDS_NAMESPACE = "gateway-forwards";
/**
 * The on-prem object store (lib/data/object-store.ts): its namespace, pods and S3 port. The MinIO
 * chart names its Service `<release>-minio`, so the release `object-store` serves `object-store-minio`.
 */
export const OBJECT_STORE = {
  namespace: "object-store",
  podLabels: { app: "minio" },
  port: 9000,
  url: "http://object-store-minio.object-store.svc.cluster.local:9000",
} as const;
export const DATA_NAMESPACE = "data";

export const FLUX_NAMESPACE = "flux-system";

export const CNPG_NAMESPACE = "cnpg-system";

export const OBSERVABILITY_NAMESPACE = "observability";

export const TELEMETRY_NAMESPACE = "telemetry";

/** kube-state-metrics' namespace, on every cluster. */
export const KUBE_STATE_NAMESPACE = "kube-state-metrics";

export const CERT_MANAGER_NAMESPACE = "cert-manager";
