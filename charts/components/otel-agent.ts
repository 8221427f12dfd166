import { metricsEndpoints } from "../../lib/connections/metrics.ts";
import { agentToObservabilityHome } from "../../lib/connections/observability.ts";
import { otelAgentConnections } from "../../lib/connections/platform.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { homeOf, keycloakIssuer, TELEMETRY_NAMESPACE } from "../../lib/platform.ts";
import { telemetryEndpoints } from "../observability.ts";
import { agentValues } from "./observability-values.ts";

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
