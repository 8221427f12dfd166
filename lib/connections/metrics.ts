import { type Connection, cidr, type PodsPeer, pods, tcp } from "../inventory/connection.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import {
  CERT_MANAGER_NAMESPACE,
  dataNamespaceOf,
  endpointsOn,
  FLUX_NAMESPACE,
  homeOf,
  KEYCLOAK_NAMESPACE,
  KUBE_STATE_NAMESPACE,
  OBJECT_STORE,
  OBSERVABILITY_NAMESPACE,
} from "../platform.ts";
import { apiServerLinks } from "./platform.ts";
import { KONG_GATEWAY, LOKI_GATEWAY, OTEL_AGENT, PROMETHEUS, TEMPO } from "./platform-peers.ts";

/** A component's metrics endpoint, which the agent on the pod's node scrapes. */
export interface MetricsEndpoint {
  readonly job: string;
  readonly pods: PodsPeer;
  readonly port: number;
  readonly path: string;
}

/**
 * What the agents scrape on a cluster, each endpoint as the rendered pods expose it (validate checks
 * every one against them, lib/validate/metrics-endpoints.ts): Kong's status listener, Kyverno's and
 * cert-manager's controllers, every CloudNativePG instance, and on the observability and data homes
 * Loki, Tempo and the object store, the GPU operator's DCGM exporter, and Flux's controllers (the
 * Flux Operator's pods, lib/hydrate/flux-distribution.ts, which Flux's own `allow-scraping` policy
 * opens on 8080; kube-state-metrics reports the state of Flux's objects).
 */
export function metricsEndpoints(cluster: Cluster, estate: Pick<Estate, "clusters">): MetricsEndpoint[] {
  const endpoint = (job: string, peer: PodsPeer, port: number, path = "/metrics") => ({
    job,
    pods: peer,
    port,
    path,
  });
  const endpoints = [
    endpoint("kong", pods("kong", { "app.kubernetes.io/name": "gateway" }, "kong-gateway"), 8100),
    endpoint("kube-state-metrics", KUBE_STATE_METRICS, 8080),
    endpoint("flux", FLUX_CONTROLLERS, 8080),
    endpoint("kyverno", pods("kyverno", { "app.kubernetes.io/instance": "kyverno" }, "kyverno"), 8000),
    endpoint(
      "cert-manager",
      pods(CERT_MANAGER_NAMESPACE, { "app.kubernetes.io/instance": "cert-manager" }, "cert-manager"),
      9402,
    ),
    ...cnpgNamespaces(cluster, estate).map((ns) =>
      endpoint(`cnpg-${ns}`, pods(ns, { "cnpg.io/podRole": "instance" }, `${ns}/postgres`), 9187),
    ),
  ];
  // The GPU operator's DCGM exporter (an operand DaemonSet) where there are GPU nodes.
  if (cluster.gpuNodes)
    endpoints.push(
      endpoint("dcgm-exporter", pods("gpu-operator", { app: "nvidia-dcgm-exporter" }, "dcgm-exporter"), 9400),
    );
  if (cluster === homeOf(estate, "observability"))
    endpoints.push(
      endpoint(
        "loki",
        pods(OBSERVABILITY_NAMESPACE, { "app.kubernetes.io/component": "single-binary" }, "loki"),
        3100,
      ),
      endpoint("tempo", pods(OBSERVABILITY_NAMESPACE, { "app.kubernetes.io/name": "tempo" }, "tempo"), 3200),
    );
  if (cluster === homeOf(estate, "data"))
    endpoints.push(
      endpoint(
        "minio",
        pods(OBJECT_STORE.namespace, { app: "minio" }, "minio"),
        9000,
        "/minio/v2/metrics/cluster",
      ),
    );
  return endpoints;
}

/** Where the cluster runs CloudNativePG instances: its environments' data namespaces, Keycloak's. */
function cnpgNamespaces(cluster: Cluster, estate: Pick<Estate, "clusters">): string[] {
  const stages = cluster.production ? [undefined] : cluster.stages;
  const data = stages
    .filter((stage) => endpointsOn(cluster, stage).some((e) => e.port === 5432))
    .map((stage) => dataNamespaceOf(cluster, stage));
  return [...new Set([...data, ...(cluster === homeOf(estate, "identity") ? [KEYCLOAK_NAMESPACE] : [])])];
}

/** The chart's Alertmanager (release prometheus). */
export const ALERTMANAGER = pods(
  OBSERVABILITY_NAMESPACE,
  { "app.kubernetes.io/name": "alertmanager", "app.kubernetes.io/instance": "prometheus" },
  "alertmanager",
);

/** Prometheus to its Alertmanager, and the Alertmanager to the receiver the inventory names. */
function alertingConnections(cluster: Cluster): Connection[] {
  const alerting = cluster.alerting;
  const endpoint = alerting && cluster.externalEndpoints[alerting.endpoint];
  if (!alerting || !endpoint) return [];
  return [
    {
      name: "prometheus-to-alertmanager",
      from: PROMETHEUS,
      to: ALERTMANAGER,
      ports: tcp(9093),
      why: "firing alerts to the Alertmanager",
    },
    {
      name: "alertmanager-to-receiver",
      from: ALERTMANAGER,
      to: cidr(endpoint.cidr, alerting.endpoint),
      ports: tcp(endpoint.port),
      why: `alert notifications to ${endpoint.host} (${alerting.email ? "mail" : "webhook"})`,
    },
  ];
}

/** Grafana (chart grafana, release grafana). */
export const GRAFANA = pods(
  OBSERVABILITY_NAMESPACE,
  { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": "grafana" },
  "grafana",
);

/** Grafana: people through the gateway; it queries the stores and signs people in with Keycloak. */
function grafanaConnections(cluster: Cluster, estate: Pick<Estate, "clusters">): Connection[] {
  if (cluster !== homeOf(estate, "observability")) return [];
  const link = (name: string, to: PodsPeer, port: number, why: string): Connection => ({
    name,
    from: GRAFANA,
    to,
    ports: tcp(port),
    why,
  });
  return [
    {
      name: "gateway-to-grafana",
      from: KONG_GATEWAY,
      to: GRAFANA,
      ports: tcp(3000),
      why: "the datacenter's users open grafana.<domain>",
    },
    link("grafana-to-prometheus", PROMETHEUS, 9090, "queries the metrics store"),
    link("grafana-to-loki", LOKI_GATEWAY, 8080, "queries logs, per tenant, through Loki's gateway"),
    link("grafana-to-tempo", TEMPO, 3200, "queries traces, per tenant"),
    ...(cluster === homeOf(estate, "identity")
      ? [link("grafana-to-keycloak", KEYCLOAK, 8443, "exchanges the sign-in code and reads the user (OIDC)")]
      : []),
  ];
}
const KEYCLOAK = pods(KEYCLOAK_NAMESPACE, { app: "keycloak" }, "keycloak");

/** Flux's controllers, by the label flux2's bases give them (manifests/bases/<controller>/labels.yaml). */
export const FLUX_CONTROLLERS = pods(
  FLUX_NAMESPACE,
  { "app.kubernetes.io/part-of": "flux" },
  "flux-controllers",
);

/** kube-state-metrics (chart kube-state-metrics). */
export const KUBE_STATE_METRICS = pods(
  KUBE_STATE_NAMESPACE,
  { "app.kubernetes.io/name": "kube-state-metrics" },
  "kube-state-metrics",
);

/** The agent to each endpoint it scrapes; the alerting path and Grafana where the stores run. */
export function metricsConnections(cluster: Cluster, estate: Pick<Estate, "clusters">): Connection[] {
  return [
    apiServerLinks(cluster).to(
      "kube-state-metrics",
      KUBE_STATE_METRICS,
      "kube-state-metrics lists and watches the objects it reports",
    ),
    ...scrapeConnections(cluster, estate),
    ...alertingConnections(cluster),
    ...grafanaConnections(cluster, estate),
  ];
}

function scrapeConnections(cluster: Cluster, estate: Pick<Estate, "clusters">): Connection[] {
  return metricsEndpoints(cluster, estate).map((e) => ({
    name: `otel-agent-scrapes-${e.job}`,
    from: OTEL_AGENT,
    to: e.pods,
    ports: tcp(e.port),
    why: `metrics of ${e.pods.label} (${e.path}), scraped by the agent on its node`,
  }));
}
