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

/**
 * What the observability components (charts/components/: Loki, Tempo, Prometheus, Grafana, the
 * agents) need beside their releases: on the observability home (on-prem) the CA bundle, Grafana's
 * dashboards and route, and the push routes through which the other clusters' agents reach the
 * stores; elsewhere the CA bundle the agents verify the home's gateway with.
 */
export class ObservabilityChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "observability", { disableResourceNameHashes: true });
    const apps = Layer.in(this, "apps");
    const home = homeOf(estate, "observability");
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
