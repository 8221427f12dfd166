import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import {
  HttpRoute,
  HttpRouteSpecRulesMatchesPathType,
} from "../imports/gateway-api-httproute-gateway.networking.k8s.io.ts";
import { Layer } from "../lib/flux/layers.ts";
import { gatewayOf } from "../lib/gateways/topology.ts";
import { datacenterRoute, tunnelSources } from "../lib/gateways/tunnel.ts";
import { TELEMETRY_CALLERS } from "../lib/identity/clients.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { caBundleSecret } from "../lib/pki/certificates.ts";
import { homeOf, OBSERVABILITY_NAMESPACE, TELEMETRY_NAMESPACE } from "../lib/platform.ts";
import { DASHBOARDS_CONFIGMAP, dashboardFiles, grafanaHost } from "./components/grafana-values.ts";
import { JWT_PLUGIN } from "./gateways.ts";

export { OBSERVABILITY_NAMESPACE, TELEMETRY_NAMESPACE };

/** OTLP endpoints of the observability home, as the otlphttp exporter takes them (it appends /v1/<signal>). */
export interface TelemetryEndpoints {
  readonly logs: string;
  readonly traces: string;
  readonly metrics: string;
}

/**
 * Where a cluster's agents send logs, traces and metrics: on the observability home straight to Loki's gateway
 * and Tempo, elsewhere to the home's gateway, through the tunnel.
 */
export function telemetryEndpoints(cluster: Cluster, estate: Estate): TelemetryEndpoints {
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

/**
 * Logs and traces: Loki and Tempo on the observability home (on-prem), reachable from the other
 * clusters only through its internal gateway; an OpenTelemetry collector DaemonSet on every cluster
 * ships container logs and OTLP traces there.
 */
export class ObservabilityChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "observability", { disableResourceNameHashes: true });
    const apps = Layer.in(this, "apps");
    const home = homeOf(estate, "observability");
    // Loki, Tempo, Prometheus, Grafana, kube-state-metrics and the agents are components
    // (charts/components/); here is what they need beside their releases.
    if (cluster === home) observabilityHome(apps, cluster, estate);
    else caBundleSecret(apps, cluster, TELEMETRY_NAMESPACE);
  }
}

/** Beside the stores and Grafana on the observability home: the CA, dashboards, routes and push paths. */
function observabilityHome(apps: Construct, cluster: Cluster, estate: Estate): void {
  // Grafana verifies Keycloak, the Alertmanager the datacenter's receiver, with the organisation's CA.
  caBundleSecret(apps, cluster, OBSERVABILITY_NAMESPACE);
  addModel(
    apps,
    new ConfigMap({
      metadata: { name: DASHBOARDS_CONFIGMAP, namespace: OBSERVABILITY_NAMESPACE },
      data: dashboardFiles(),
    }),
  );
  // Grafana for the datacenter's own users only.
  datacenterRoute(apps, cluster, tunnelSources(cluster, estate.clusters), {
    name: "grafana",
    namespace: OBSERVABILITY_NAMESPACE,
    host: grafanaHost(cluster),
    backend: { name: "grafana", port: 80 },
  });
  const gateway = gatewayOf(cluster);
  // Only the push paths, and only for the other clusters' agents (JWT, ACL, tenant by identity).
  for (const [host, path, service, port] of [
    ["loki", "/otlp/v1/logs", "loki-gateway", 80],
    ["tempo", "/v1/traces", "tempo", 4318],
    ["prometheus", "/api/v1/otlp/v1/metrics", "prometheus-server", 80],
  ] as const) {
    new HttpRoute(apps, `route-${host}`, {
      metadata: {
        name: host,
        namespace: OBSERVABILITY_NAMESPACE,
        annotations: { "konghq.com/plugins": `${JWT_PLUGIN},${TELEMETRY_CALLERS}` },
      },
      spec: {
        parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
        hostnames: [`${host}.${cluster.dns.domain}`],
        rules: [
          {
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.EXACT, value: path } }],
            backendRefs: [{ name: service, port }],
          },
        ],
      },
    });
  }
}
