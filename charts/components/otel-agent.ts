import { metricsEndpoints } from "../../lib/connections/metrics.ts";
import { agentToObservabilityHome } from "../../lib/connections/observability.ts";
import { otelAgentConnections } from "../../lib/connections/platform.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import type { Cluster, Estate } from "../../lib/inventory/model.ts";
import { homeOf, keycloakIssuer, OBSERVABILITY_NAMESPACE, TELEMETRY_NAMESPACE } from "../../lib/platform.ts";
import { agentValues, type TelemetryEndpoints } from "./observability-values.ts";

/**
 * The OpenTelemetry agents on every cluster: container logs, OTLP traces and scraped metrics, sent to
 * the observability home (elsewhere through its gateway, signed in with a client of their own).
 */
export const otelAgent: PlatformComponent = {
  name: "otel-agent",
  chart: "opentelemetry-collector",
  namespace: TELEMETRY_NAMESPACE,
  ownNamespace: {
    holds: "the OpenTelemetry agents",
    podSecurity: "privileged",
    why: "reading container logs from the node (/var/log/pods) needs hostPath mounts",
  },
  layer: "apps",
  values: (cluster, estate) =>
    agentValues(
      cluster,
      telemetryEndpoints(cluster, estate),
      metricsEndpoints(cluster, estate),
      cluster !== homeOf(estate, "observability")
        ? { tokenUrl: `${keycloakIssuer(estate)}/protocol/openid-connect/token` }
        : undefined,
    ),
  freeFormValues: ["receivers", "processors", "exporters", "service", "extensions"]
    .map((block) => ({
      path: `config.${block}`,
      why: "the collector's own configuration, merged into the chart's",
    }))
    .concat({
      path: "service.enabled",
      why: "commented out in values.yaml; the serviceEnabled helper reads it (off by default for a DaemonSet)",
    }),
  connections: (cluster, estate) => [
    ...otelAgentConnections(cluster),
    ...agentToObservabilityHome(cluster, estate),
  ],
};

/**
 * Where a cluster's agents send logs, traces and metrics: on the observability home straight to
 * Loki's gateway, Tempo and Prometheus, elsewhere to the home's gateway, through the tunnel.
 */
function telemetryEndpoints(cluster: Cluster, estate: Estate): TelemetryEndpoints {
  const home = homeOf(estate, "observability");
  if (cluster === home)
    return {
      logs: `http://loki-gateway.${OBSERVABILITY_NAMESPACE}.svc.cluster.local/otlp`,
      traces: `http://tempo.${OBSERVABILITY_NAMESPACE}.svc.cluster.local:4318`,
      metrics: `http://prometheus-server.${OBSERVABILITY_NAMESPACE}.svc.cluster.local/api/v1/otlp`,
    };
  return {
    logs: `https://loki.${home.dns.domain}/otlp`,
    traces: `https://tempo.${home.dns.domain}`,
    metrics: `https://prometheus.${home.dns.domain}/api/v1/otlp`,
  };
}
