import { mirror } from "../lib/images.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import { resources, restrictedContainer, restrictedPod } from "../lib/k8s/pod-defaults.ts";

/** How long metrics are kept, and the most disk they may take before the oldest blocks go. */
export const METRICS_RETENTION = { time: "30d", size: "90GB" } as const;

/** Resource attributes every agent sets, made labels of every series (the cluster first). */
const PROMOTED_ATTRIBUTES = ["k8s.cluster.name", "k8s.namespace.name", "k8s.pod.name", "service.name"];

/** The kubernetes_sd scrape jobs the chart ships: off, the agents send what the store keeps. */
const CHART_SCRAPE_JOBS = [
  "kubernetes-api-servers",
  "kubernetes-nodes",
  "kubernetes-nodes-cadvisor",
  "kubernetes-service-endpoints",
  "kubernetes-service-endpoints-slow",
  "prometheus-pushgateway",
  "kubernetes-services",
  "kubernetes-pods",
  "kubernetes-pods-slow",
];

/**
 * The metrics store: one Prometheus (chart prometheus-community/prometheus) on the observability
 * home that receives OTLP from every cluster's agent (`--web.enable-otlp-receiver`), keeps
 * METRICS_RETENTION on its volume and scrapes only itself. Prometheus rather than VictoriaMetrics
 * or Mimir: one process takes OTLP natively, stores and evaluates rules, at the estate's size
 * (four clusters, one store); Mimir's object-store tiers and tenancy are not needed yet. Without
 * Kubernetes discovery it needs no ClusterRole.
 */
export function prometheusValues(cluster: Cluster): Record<string, unknown> {
  const pod = restrictedPod(65534);
  return {
    rbac: { create: false },
    server: {
      image: { repository: mirror(cluster, "quay.io/prometheus/prometheus") },
      extraFlags: ["web.enable-lifecycle", "web.enable-otlp-receiver"],
      retention: METRICS_RETENTION.time,
      retentionSize: METRICS_RETENTION.size,
      persistentVolume: { enabled: true, size: "100Gi" },
      // One writer of a ReadWriteOnce volume: the old pod goes before the new one starts.
      strategy: { type: "Recreate" },
      otlp: { promote_resource_attributes: PROMOTED_ATTRIBUTES },
      resources: resources(["500m", "2"], ["2Gi", "8Gi"]),
      securityContext: pod,
      containerSecurityContext: restrictedContainer(),
    },
    configmapReload: {
      prometheus: {
        image: { repository: mirror(cluster, "quay.io/prometheus-operator/prometheus-config-reloader") },
        resources: resources(["10m", "100m"], ["32Mi", "64Mi"]),
        containerSecurityContext: restrictedContainer(),
      },
    },
    scrapeConfigs: Object.fromEntries(CHART_SCRAPE_JOBS.map((job) => [job, { enabled: false }])),
    alertmanager: { enabled: false },
    "kube-state-metrics": { enabled: false },
    "prometheus-node-exporter": { enabled: false },
    "prometheus-pushgateway": { enabled: false },
  };
}
