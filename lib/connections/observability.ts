import { type Connection, cidr, type PodsPeer, pods, tcp, toGatewayOf } from "../inventory/connection.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { homeOf, KEYCLOAK_NAMESPACE, OBSERVABILITY_NAMESPACE } from "../platform.ts";
import {
  KONG_GATEWAY,
  LOKI,
  LOKI_GATEWAY,
  OTEL_AGENT,
  PROMETHEUS,
  PROMETHEUS_PORT,
  TEMPO,
  toObjectStore,
} from "./platform-peers.ts";

/**
 * The observability home's stores and Grafana, and who reaches them: the agents of the home directly,
 * the other clusters' agents through the home's gateway (tunnel). Each component's descriptor
 * (charts/components/) names its own.
 */
const link = (name: string, from: PodsPeer, to: PodsPeer, port: number, why: string): Connection => ({
  name,
  from,
  to,
  ports: tcp(port),
  why,
});

/** Loki: logs in from the agents (through its gateway), chunks out to the object store. */
export function lokiConnections(): Connection[] {
  return [
    link("otel-agent-to-loki", OTEL_AGENT, LOKI_GATEWAY, 8080, "logs (OTLP) to Loki"),
    link("loki-gateway-to-loki", LOKI_GATEWAY, LOKI, 3100, "Loki's gateway in front of the single binary"),
    toObjectStore("loki", LOKI, "Loki keeps chunks and indexes in the object store"),
    link(
      "gateway-to-loki",
      KONG_GATEWAY,
      LOKI_GATEWAY,
      8080,
      "other clusters' agents ship logs through the gateway",
    ),
  ];
}

/** Tempo: traces in from the agents. */
export function tempoConnections(): Connection[] {
  return [
    link("otel-agent-to-tempo", OTEL_AGENT, TEMPO, 4318, "traces (OTLP) to Tempo"),
    link(
      "gateway-to-tempo",
      KONG_GATEWAY,
      TEMPO,
      4318,
      "other clusters' agents ship traces through the gateway",
    ),
  ];
}

/** The chart's Alertmanager (release prometheus). */
export const ALERTMANAGER = pods(
  OBSERVABILITY_NAMESPACE,
  { "app.kubernetes.io/name": "alertmanager", "app.kubernetes.io/instance": "prometheus" },
  "alertmanager",
);

/** The metrics store: metrics in from the agents; alerts out to its Alertmanager and the receiver. */
export function prometheusConnections(cluster: Cluster): Connection[] {
  return [
    link(
      "otel-agent-to-prometheus",
      OTEL_AGENT,
      PROMETHEUS,
      PROMETHEUS_PORT,
      "metrics (OTLP) to the metrics store",
    ),
    link(
      "gateway-to-prometheus",
      KONG_GATEWAY,
      PROMETHEUS,
      PROMETHEUS_PORT,
      "other clusters' agents ship metrics through the gateway",
    ),
    ...alertingConnections(cluster),
  ];
}

/** Prometheus to its Alertmanager, and the Alertmanager to the receiver the inventory names. */
function alertingConnections(cluster: Cluster): Connection[] {
  const alerting = cluster.alerting;
  const endpoint = alerting && cluster.externalEndpoints[alerting.endpoint];
  if (!alerting || !endpoint) return [];
  return [
    link("prometheus-to-alertmanager", PROMETHEUS, ALERTMANAGER, 9093, "firing alerts to the Alertmanager"),
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
const KEYCLOAK = pods(KEYCLOAK_NAMESPACE, { app: "keycloak" }, "keycloak");

/** Grafana: people through the gateway; it queries the stores and signs people in with Keycloak. */
export function grafanaConnections(cluster: Cluster, estate: Pick<Estate, "clusters">): Connection[] {
  return [
    link("gateway-to-grafana", KONG_GATEWAY, GRAFANA, 3000, "the datacenter's users open grafana.<domain>"),
    link("grafana-to-prometheus", GRAFANA, PROMETHEUS, 9090, "queries the metrics store"),
    link("grafana-to-loki", GRAFANA, LOKI_GATEWAY, 8080, "queries logs, per tenant, through Loki's gateway"),
    link("grafana-to-tempo", GRAFANA, TEMPO, 3200, "queries traces, per tenant"),
    ...(cluster === homeOf(estate, "identity")
      ? [
          link(
            "grafana-to-keycloak",
            GRAFANA,
            KEYCLOAK,
            8443,
            "exchanges the sign-in code and reads the user (OIDC)",
          ),
        ]
      : []),
  ];
}

/** An agent away from the observability home ships everything through the home's gateway (tunnel). */
export function agentToObservabilityHome(cluster: Cluster, estate: Pick<Estate, "clusters">): Connection[] {
  const observability = homeOf(estate, "observability");
  if (cluster === observability) return [];
  return toGatewayOf(cluster, observability, {
    name: "otel-agent-to-observability",
    from: OTEL_AGENT,
    why: `logs, traces and metrics to ${observability.name}'s Loki, Tempo and Prometheus, through its gateway (tunnel)`,
  });
}
