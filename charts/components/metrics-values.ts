import { mirror } from "../../lib/images.ts";
import type { Alerting, Cluster } from "../../lib/inventory/model.ts";
import { resources, restrictedContainer, restrictedPod } from "../../lib/k8s/pod-defaults.ts";
import { alertingRules } from "../../lib/observability/alerts.ts";
import { CA_BUNDLE_KEY, ORG_CA_BUNDLE } from "../../lib/pki/certificates.ts";

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
      // The chart's own Alertmanager, by its Service (no discovery, no ClusterRole).
      ...(cluster.alerting
        ? { alertmanagers: [{ static_configs: [{ targets: [`${ALERTMANAGER_SERVICE}:9093`] }] }] }
        : {}),
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
    serverFiles: { "alerting_rules.yml": alertingRules() },
    alertmanager: alertmanagerValues(cluster),
    "kube-state-metrics": { enabled: false },
    "prometheus-node-exporter": { enabled: false },
    "prometheus-pushgateway": { enabled: false },
  };
}

/** The chart's Alertmanager Service (release prometheus). */
export const ALERTMANAGER_SERVICE = "prometheus-alertmanager";
const CA_DIR = "/etc/org-ca";

/**
 * Alertmanager (the chart's dependency) where the inventory names a receiver: alerts grouped per
 * alert and cluster, sent to the datacenter's webhook (TLS verified with the organisation's CA) or
 * mail relay. Off without one.
 */
function alertmanagerValues(cluster: Cluster): Record<string, unknown> {
  if (!cluster.alerting) return { enabled: false };
  return {
    enabled: true,
    image: { repository: mirror(cluster, "quay.io/prometheus/alertmanager") },
    resources: resources(["50m", "200m"], ["64Mi", "256Mi"]),
    podSecurityContext: restrictedPod(65534),
    securityContext: restrictedContainer(),
    persistence: { enabled: true, size: "1Gi" },
    extraVolumes: [{ name: "org-ca", secret: { secretName: ORG_CA_BUNDLE } }],
    extraVolumeMounts: [{ name: "org-ca", mountPath: CA_DIR, readOnly: true }],
    config: {
      receivers: [{ name: "operations", ...receiver(cluster, cluster.alerting) }],
      route: {
        receiver: "operations",
        group_by: ["alertname", "k8s_cluster_name"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: "4h",
      },
    },
  };
}

function receiver(cluster: Cluster, alerting: Alerting): Record<string, unknown> {
  const endpoint = cluster.externalEndpoints[alerting.endpoint];
  if (!endpoint) throw new Error(`alerting endpoint ${alerting.endpoint} is not declared on ${cluster.name}`);
  const tls = { tls_config: { ca_file: `${CA_DIR}/${CA_BUNDLE_KEY}` } };
  if (alerting.email)
    return {
      email_configs: [
        {
          to: alerting.email.to,
          from: alerting.email.from,
          smarthost: `${endpoint.host}:${endpoint.port}`,
          require_tls: true,
          ...tls,
          send_resolved: true,
        },
      ],
    };
  return {
    webhook_configs: [
      {
        url: `https://${endpoint.host}:${endpoint.port}${alerting.webhook?.path ?? "/"}`,
        http_config: tls,
        send_resolved: true,
      },
    ],
  };
}
