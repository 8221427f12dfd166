import { runsOn } from "../inventory/component.ts";
import {
  type Connection,
  cidr,
  type MetricsEndpoint,
  type PodsPeer,
  pods,
  scrape,
  tcp,
} from "../inventory/connection.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import {
  dataNamespaceOf,
  endpointsOn,
  FLUX_NAMESPACE,
  homeOf,
  KEYCLOAK_NAMESPACE,
  KUBE_STATE_NAMESPACE,
  OBSERVABILITY_NAMESPACE,
} from "../platform.ts";
import { KONG_GATEWAY, LOKI_GATEWAY, OTEL_AGENT, PROMETHEUS, TEMPO } from "./platform-peers.ts";

/**
 * What the agents scrape on a cluster: each platform component's `metrics` (its descriptor), sorted
 * by job, and Flux's controllers (the Flux Operator's pods, lib/hydrate/flux-distribution.ts, which
 * Flux's own `allow-scraping` policy opens on 8080; kube-state-metrics reports the state of Flux's
 * objects). validate checks every endpoint against the rendered pods (lib/validate/metrics-endpoints.ts).
 */
export function metricsEndpoints(cluster: Cluster, estate: Estate): MetricsEndpoint[] {
  return [
    scrape("flux", FLUX_CONTROLLERS, 8080),
    ...estate.components
      .filter((component) => runsOn(component, cluster, estate))
      .flatMap((component) => component.metrics?.(cluster, estate) ?? []),
  ].sort((a, b) => a.job.localeCompare(b.job));
}

/** Every CloudNativePG instance of the cluster (the operator's pods): its environments' databases, Keycloak's. */
export function cnpgInstanceEndpoints(cluster: Cluster, estate: Pick<Estate, "clusters">): MetricsEndpoint[] {
  const stages = cluster.production ? [undefined] : cluster.stages;
  const data = stages
    .filter((stage) => endpointsOn(cluster, stage).some((e) => e.port === 5432))
    .map((stage) => dataNamespaceOf(cluster, stage));
  const namespaces = [
    ...new Set([...data, ...(cluster === homeOf(estate, "identity") ? [KEYCLOAK_NAMESPACE] : [])]),
  ];
  return namespaces.map((ns) =>
    scrape(`cnpg-${ns}`, pods(ns, { "cnpg.io/podRole": "instance" }, `${ns}/postgres`), 9187),
  );
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
export function metricsConnections(cluster: Cluster, estate: Estate): Connection[] {
  return [
    ...scrapeConnections(cluster, estate),
    ...alertingConnections(cluster),
    ...grafanaConnections(cluster, estate),
  ];
}

function scrapeConnections(cluster: Cluster, estate: Estate): Connection[] {
  return metricsEndpoints(cluster, estate).map((e) => ({
    name: `otel-agent-scrapes-${e.job}`,
    from: OTEL_AGENT,
    to: e.pods,
    ports: tcp(e.port),
    why: `metrics of ${e.pods.label} (${e.path}), scraped by the agent on its node`,
  }));
}
