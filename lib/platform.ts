import type { Cluster, Estate } from "./inventory/model.ts";
import type { PlatformService } from "./inventory/schema.ts";

/** Namespaces of the platform components that other constructs refer to. */
export const KONG_NAMESPACE = "kong";
export const KYVERNO_NAMESPACE = "kyverno";

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

/** The platform endpoints a cluster runs, derived from its capabilities and the services it hosts. */
export function endpointsOn(cluster: Cluster): PlatformEndpoint[] {
  const endpoints: PlatformEndpoint[] = [];
  if (cluster.gpuNodes && cluster.location === "on-prem") {
    endpoints.push({
      name: "ollama",
      namespace: OLLAMA_NAMESPACE,
      podLabels: { "app.kubernetes.io/name": "ollama" },
      port: 11434,
    });
  }
  if (cluster.hosts.includes("data")) {
    endpoints.push({
      name: "postgis",
      namespace: DATA_NAMESPACE,
      podLabels: { "cnpg.io/cluster": "postgis" },
      port: 5432,
    });
  }
  if (cluster.location === "cloud" && cluster.production) {
    endpoints.push({
      name: "portal-db",
      namespace: DATA_NAMESPACE,
      podLabels: { "cnpg.io/cluster": "portal-db" },
      port: 5432,
    });
  }
  return endpoints;
}

export const OLLAMA_NAMESPACE = "ollama";
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
