import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { HttpRoute } from "../imports/gateway-api-httproute-gateway.networking.k8s.io.ts";
import { HelmComponent } from "../lib/flux/helm-component.ts";
import { Layer } from "../lib/flux/layers.ts";
import { gatewayOf } from "../lib/gateways/topology.ts";
import { mirror } from "../lib/images.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { homeOf } from "../lib/platform.ts";
import { lokiValues, tempoValues } from "./observability-values.ts";

export const OBSERVABILITY_NAMESPACE = "observability";
export const TELEMETRY_NAMESPACE = "telemetry";
export const LOKI_CHART = { chart: "loki", version: "6.46.0" } as const;
export const TEMPO_CHART = { chart: "tempo", version: "1.24.1" } as const;
export const COLLECTOR_CHART = { chart: "opentelemetry-collector", version: "0.140.0" } as const;

/**
 * Where a cluster's agents send logs and traces: on the observability home straight to Loki's gateway
 * and Tempo, elsewhere to the home's gateway, through the tunnel.
 */
export function telemetryEndpoints(cluster: Cluster, estate: Estate): { logs: string; traces: string } {
  const home = homeOf(estate, "observability");
  if (cluster === home)
    return {
      logs: `http://loki-gateway.${OBSERVABILITY_NAMESPACE}.svc.cluster.local/otlp`,
      traces: `http://tempo.${OBSERVABILITY_NAMESPACE}.svc.cluster.local:4318`,
    };
  return { logs: `https://loki.${home.dns.domain}/otlp`, traces: `https://tempo.${home.dns.domain}` };
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
    const endpoints = telemetryEndpoints(cluster, estate);

    if (cluster === home) {
      new HelmComponent(apps, cluster, {
        name: "loki",
        namespace: OBSERVABILITY_NAMESPACE,
        chart: LOKI_CHART,
        podSecurity: "restricted",
        keepsData: true,
        values: lokiValues(cluster),
      });
      new HelmComponent(apps, cluster, {
        name: "tempo",
        namespace: OBSERVABILITY_NAMESPACE,
        chart: TEMPO_CHART,
        podSecurity: "restricted",
        keepsData: true,
        ownNamespace: false,
        values: tempoValues(cluster),
      });
      const gateway = gatewayOf(cluster);
      for (const [host, service, port] of [
        ["loki", "loki-gateway", 80],
        ["tempo", "tempo", 4318],
      ] as const) {
        new HttpRoute(apps, `route-${host}`, {
          metadata: { name: host, namespace: OBSERVABILITY_NAMESPACE },
          spec: {
            parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
            hostnames: [`${host}.${cluster.dns.domain}`],
            rules: [{ backendRefs: [{ name: service, port }] }],
          },
        });
      }
    }

    new HelmComponent(apps, cluster, {
      name: "otel-agent",
      namespace: TELEMETRY_NAMESPACE,
      chart: COLLECTOR_CHART,
      // Reading container logs from the node (/var/log/pods) needs hostPath mounts: restricted forbids them.
      podSecurity: "privileged",
      values: {
        mode: "daemonset",
        image: { repository: mirror(cluster, "docker.io/otel/opentelemetry-collector-k8s") },
        presets: { logsCollection: { enabled: true }, kubernetesAttributes: { enabled: true } },
        config: {
          exporters: {
            "otlphttp/loki": { endpoint: endpoints.logs },
            "otlphttp/tempo": { endpoint: endpoints.traces },
          },
          processors: {
            resource: { attributes: [{ key: "k8s.cluster.name", value: cluster.name, action: "upsert" }] },
          },
          service: {
            pipelines: {
              logs: {
                receivers: ["filelog"],
                processors: ["k8sattributes", "resource", "batch"],
                exporters: ["otlphttp/loki"],
              },
              traces: {
                receivers: ["otlp"],
                processors: ["k8sattributes", "resource", "batch"],
                exporters: ["otlphttp/tempo"],
              },
            },
          },
        },
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      },
    });
  }
}
