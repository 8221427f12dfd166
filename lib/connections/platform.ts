import { BACKUP_ENDPOINT } from "../data/backups.ts";
import { API_SERVER_PORT, type Connection, cidr, pods, tcp } from "../inventory/connection.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { apiServerSources } from "../network/api-server-sources.ts";
import { GPU_OPERATOR_NAMESPACE, KEYCLOAK_NAMESPACE } from "../platform.ts";
import {
  BARMAN_PLUGIN_PODS,
  BARMAN_PLUGIN_PORT,
  CERT_MANAGER_ALL,
  CERT_MANAGER_WEBHOOK,
  CNPG_OPERATOR,
  KONG_CONTROLLER,
  KONG_GATEWAY,
  KYVERNO_ALL,
  kyvernoComponent,
  OTEL_AGENT,
  OTLP_HTTP_PORT,
} from "./platform-peers.ts";

/** Connections to the API server, and from it into an admission webhook, as this cluster's CNI shows them. */
export interface ApiServerLinks {
  to(name: string, from: Connection["from"], why: string): Connection;
  webhook(name: string, to: Connection["to"], port: number): Connection[];
}

export function apiServerLinks(cluster: Cluster): ApiServerLinks {
  const apiServer = cidr(cluster.network.controlPlane, "api-server");
  // From every address the CNI presents the API server's calls with (lib/network/api-server-sources.ts).
  const sources = apiServerSources(cluster);
  return {
    to: (name, from, why) => ({
      name: `${name}-to-api-server`,
      from,
      to: apiServer,
      ports: tcp(API_SERVER_PORT),
      why,
    }),
    webhook: (name, to, port) =>
      ("declared" in sources ? sources.declared : [cluster.network.controlPlane]).map((range, i) => ({
        name: i === 0 ? `api-server-to-${name}` : `api-server-via-node-tunnels-to-${name}`,
        from: i === 0 ? apiServer : cidr(range, "api-server via its node's tunnel"),
        to,
        ports: tcp(port),
        why: `the API server calls the ${name} admission webhook`,
      })),
  };
}

/** Kyverno: the API server, its two admission webhooks, and the registry (image signatures). */
export function kyvernoConnections(cluster: Cluster): Connection[] {
  const api = apiServerLinks(cluster);
  return [
    api.to("kyverno", KYVERNO_ALL, "Kyverno controllers and hook jobs watch and write the API"),
    ...api.webhook("kyverno", kyvernoComponent("admission-controller"), 9443),
    ...api.webhook("kyverno-cleanup", kyvernoComponent("cleanup-controller"), 9443),
    ...["admission-controller", "reports-controller"].map((component) => ({
      name: `kyverno-${component}-to-registry`,
      from: kyvernoComponent(component),
      to: cidr(cluster.network.registry, "registry"),
      ports: tcp(443),
      why: "image signatures are verified against the registry",
    })),
  ];
}

/** The ingress controller, the gateway's clients, and the other clusters' tunnels into it. */
export function kongConnections(cluster: Cluster, estate: Estate): Connection[] {
  const api = apiServerLinks(cluster);
  return [
    api.to("kong-controller", KONG_CONTROLLER, "the ingress controller watches routes and plugins"),
    ...api.webhook("kong-controller", KONG_CONTROLLER, 8080),
    {
      name: "kong-controller-to-gateway",
      from: KONG_CONTROLLER,
      to: KONG_GATEWAY,
      ports: tcp(8444),
      why: "the ingress controller configures the gateway through its admin API",
    },
    ...cluster.network.gatewayClients.map((range, i) => ({
      name: `clients-${i + 1}-to-gateway`,
      from: cidr(range, cluster.location === "cloud" ? "internet" : "office"),
      to: KONG_GATEWAY,
      ports: tcp(8000, 8443),
      why:
        cluster.location === "cloud"
          ? "citizens reach the public gateway"
          : "employees reach the internal gateway",
    })),
    ...tunnelsInto(cluster, estate),
  ];
}

/** The CloudNativePG operator: the API server and its admission webhook. */
export function cnpgOperatorConnections(cluster: Cluster): Connection[] {
  const api = apiServerLinks(cluster);
  return [
    api.to("cnpg-operator", CNPG_OPERATOR, "the CloudNativePG operator reconciles Clusters"),
    ...api.webhook("cnpg", CNPG_OPERATOR, 9443),
  ];
}

/** The Barman Cloud plugin: the API server, and the operator calling it. */
export function barmanPluginConnections(cluster: Cluster): Connection[] {
  return [
    apiServerLinks(cluster).to(
      "barman-cloud-plugin",
      BARMAN_PLUGIN_PODS,
      "the backup plugin reads ObjectStores and Clusters",
    ),
    {
      name: "cnpg-operator-to-barman-cloud-plugin",
      from: CNPG_OPERATOR,
      to: BARMAN_PLUGIN_PODS,
      ports: tcp(BARMAN_PLUGIN_PORT),
      why: "the operator calls the backup plugin (CNPG-I over mTLS)",
    },
  ];
}

/** cert-manager: the API server and its admission webhook. */
export function certManagerConnections(cluster: Cluster): Connection[] {
  const api = apiServerLinks(cluster);
  return [
    api.to("cert-manager", CERT_MANAGER_ALL, "cert-manager issues certificates into Secrets"),
    ...api.webhook("cert-manager", CERT_MANAGER_WEBHOOK, 10250),
  ];
}

/** The telemetry agent: the API server (Kubernetes attributes), and the gateway's spans into it. */
export function otelAgentConnections(cluster: Cluster): Connection[] {
  return [
    apiServerLinks(cluster).to(
      "otel-agent",
      OTEL_AGENT,
      "the agent adds Kubernetes attributes to logs and traces",
    ),
    {
      name: "kong-gateway-to-otel-agent",
      from: KONG_GATEWAY,
      to: OTEL_AGENT,
      ports: tcp(OTLP_HTTP_PORT),
      why: "the gateway's OpenTelemetry plugin starts each request's trace",
    },
  ];
}

/** The GPU operator and node feature discovery watch and write the API. */
export function gpuOperatorConnections(cluster: Cluster): Connection[] {
  return [
    apiServerLinks(cluster).to(
      "gpu-operator",
      pods(GPU_OPERATOR_NAMESPACE, {}, "*"),
      "the GPU operator and node feature discovery",
    ),
  ];
}

/** Other clusters whose workloads or gateway call this cluster's gateway through the tunnel. */
function tunnelsInto(cluster: Cluster, estate: Estate): Connection[] {
  return estate.clusters
    .filter((other) => Object.values(other.externalEndpoints).some((e) => e.gatewayOf === cluster.name))
    .map((other) => ({
      name: `${other.name}-to-gateway`,
      from: cidr(other.network.nodes, other.name),
      to: KONG_GATEWAY,
      ports: tcp(8443),
      why: `${other.name} reaches this gateway through the tunnel`,
    }));
}

/** The Keycloak operator and Keycloak on the identity home; `db` is its CloudNativePG Cluster. */
export function identityConnections(cluster: Cluster, db: Connection["to"]): Connection[] {
  const operator = pods(
    KEYCLOAK_NAMESPACE,
    { "app.kubernetes.io/name": "keycloak-operator" },
    "keycloak-operator",
  );
  const keycloak = pods(KEYCLOAK_NAMESPACE, { app: "keycloak" }, "keycloak");
  return [
    {
      name: "keycloak-operator-to-api-server",
      from: operator,
      to: cidr(cluster.network.controlPlane, "api-server"),
      ports: tcp(API_SERVER_PORT),
      why: "the Keycloak operator reconciles Keycloaks and realm imports",
    },
    {
      name: "keycloak-to-keycloak-db",
      from: keycloak,
      to: db,
      ports: tcp(5432),
      why: "Keycloak stores realms in its database",
    },
    {
      name: "keycloak-realm-import-to-keycloak-db",
      from: pods(KEYCLOAK_NAMESPACE, { app: "keycloak-realm-import" }, "keycloak-realm-import"),
      to: db,
      ports: tcp(5432),
      why: "the operator's realm import Job writes the realm into Keycloak's database",
    },
    {
      name: "keycloak-cluster",
      from: keycloak,
      to: keycloak,
      ports: tcp(7800, 57800),
      why: "Keycloak instances share their caches (JGroups)",
    },
    {
      name: "gateway-to-keycloak",
      from: KONG_GATEWAY,
      to: keycloak,
      ports: tcp(8443),
      why: "sign-in and tokens on sso.<domain>",
    },
  ];
}

/** What every CloudNativePG Cluster needs: the operator and the instances, among themselves and to the API server. */
export function postgresConnections(
  cluster: Cluster,
  instances: Connection["to"] & { kind: "pods" },
  options: { backups?: boolean; name?: string } = {},
): Connection[] {
  const name = options.name ?? (instances.label.split("/")[1] as string);
  const store = cluster.externalEndpoints[BACKUP_ENDPOINT];
  // Every pod of the Cluster: its instances and the Jobs that make their data directories (initdb,
  // join), which run the same instance manager (lib/hydrate/operators.ts, cnpgJobPods).
  const allPods = pods(
    instances.namespace,
    { "cnpg.io/cluster": instances.labels["cnpg.io/cluster"] as string },
    `${name}-pods`,
  );
  return [
    ...(options.backups && store
      ? [
          {
            name: `${name}-to-backup-store`,
            from: instances,
            to: cidr(store.cidr, BACKUP_ENDPOINT),
            ports: tcp(store.port),
            why: "WAL archive and base backups to the other failure domain (Barman Cloud sidecar)",
          },
        ]
      : []),
    {
      name: `cnpg-operator-to-${name}`,
      from: CNPG_OPERATOR,
      to: instances,
      ports: tcp(8000, 5432),
      why: "the operator reads each instance's status and manages its roles",
    },
    {
      name: `${name}-replication`,
      from: allPods,
      to: instances,
      ports: tcp(5432),
      why: "streaming replication between instances; a new replica's join Job copies the primary (pg_basebackup)",
    },
    {
      name: `${name}-to-api-server`,
      from: allPods,
      to: cidr(cluster.network.controlPlane, "api-server"),
      ports: tcp(API_SERVER_PORT),
      why: "the instance manager, in the instances and their initdb and join Jobs, reads its Cluster",
    },
  ];
}
