/** A time-series panel: what it shows and the PromQL behind it. */
interface Panel {
  readonly title: string;
  readonly expr: string;
  readonly unit?: string;
}

interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
}

/**
 * The dashboards, as code, one per concern whose exporters are scraped. Each panel's query is
 * checked like an alert's (lib/validate/alert-rules.ts): PromQL, on metrics a scraped exporter
 * defines.
 */
export const DASHBOARDS: readonly Dashboard[] = [
  {
    uid: "estate-health",
    title: "Estate health",
    panels: [
      { title: "Scrape targets up, per cluster", expr: "sum by (k8s_cluster_name) (up)" },
      { title: "Scrape targets down", expr: "sum by (k8s_cluster_name, job) (up == 0)" },
      {
        title: "Certificates: days to expiry",
        expr: "(certmanager_certificate_expiration_timestamp_seconds - time()) / 86400",
        unit: "d",
      },
    ],
  },
  {
    uid: "flux",
    title: "Flux",
    panels: [
      {
        title: "Kustomizations and HelmReleases not Ready",
        expr: 'sum by (k8s_cluster_name, customresource_kind) (gotk_resource_info{ready="False"})',
      },
      { title: "Suspended", expr: 'sum by (k8s_cluster_name) (gotk_resource_info{suspended="true"})' },
      {
        title: "Reconcile duration (p99), per kind",
        expr: "histogram_quantile(0.99, sum by (le, k8s_cluster_name, kind) (rate(gotk_reconcile_duration_seconds_bucket[5m])))",
        unit: "s",
      },
    ],
  },
  {
    uid: "gateways",
    title: "Gateways (Kong)",
    panels: [
      {
        title: "Requests per second by status class",
        expr: 'sum by (k8s_cluster_name, code) (label_replace(rate(kong_http_requests_total[5m]), "code", "${1}xx", "code", "([0-9]).."))',
        unit: "reqps",
      },
      {
        title: "Request latency (p95)",
        expr: "histogram_quantile(0.95, sum by (le, k8s_cluster_name) (rate(kong_request_latency_ms_bucket[5m])))",
        unit: "ms",
      },
      {
        title: "Unhealthy upstream targets",
        expr: 'sum by (k8s_cluster_name, upstream) (kong_upstream_target_health{state="unhealthy"})',
      },
    ],
  },
  {
    uid: "gpus",
    title: "GPUs and models",
    panels: [
      {
        title: "GPU utilisation",
        expr: "avg by (k8s_cluster_name, pod, gpu) (DCGM_FI_DEV_GPU_UTIL)",
        unit: "percent",
      },
      {
        title: "GPU memory (total)",
        expr: "sum by (k8s_cluster_name, pod) (DCGM_FI_DEV_FB_TOTAL)",
        unit: "mbytes",
      },
      {
        title: "GPU temperature",
        expr: "max by (k8s_cluster_name, pod, gpu) (DCGM_FI_DEV_GPU_TEMP)",
        unit: "celsius",
      },
      {
        title: "GPU power",
        expr: "sum by (k8s_cluster_name, pod) (DCGM_FI_DEV_POWER_USAGE)",
        unit: "watt",
      },
    ],
  },
  {
    uid: "policies",
    title: "Policies (Kyverno admission)",
    panels: [
      {
        title: "Admission requests refused",
        expr: 'sum by (k8s_cluster_name, resource_kind) (rate(kyverno_admission_requests_total{request_allowed="false"}[5m]))',
        unit: "reqps",
      },
      {
        title: "Admission review latency (p95)",
        expr: "histogram_quantile(0.95, sum by (le, k8s_cluster_name) (rate(kyverno_admission_review_duration_seconds_bucket[5m])))",
        unit: "s",
      },
    ],
  },
  {
    uid: "data-and-backups",
    title: "Data and backups (PostgreSQL)",
    panels: [
      {
        title: "WAL segments waiting to be archived",
        expr: 'cnpg_collector_pg_wal_archive_status{value="ready"}',
      },
      { title: "WAL archiving failures", expr: "increase(cnpg_pg_stat_archiver_failed_count[1h])" },
      {
        title: "Hours since the last backup",
        expr: "(time() - cnpg_collector_last_available_backup_timestamp) / 3600 and cnpg_collector_last_available_backup_timestamp > 0",
        unit: "h",
      },
      { title: "Instances up", expr: "sum by (k8s_cluster_name, namespace) (cnpg_collector_up)" },
    ],
  },
];

/** A dashboard as Grafana's JSON model: time-series panels on the metrics store. */
export function dashboardJson(dashboard: Dashboard, datasourceUid: string): string {
  return JSON.stringify({
    uid: dashboard.uid,
    title: dashboard.title,
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    panels: dashboard.panels.map((panel, i) => ({
      id: i + 1,
      type: "timeseries",
      title: panel.title,
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      datasource: { type: "prometheus", uid: datasourceUid },
      fieldConfig: { defaults: { ...(panel.unit ? { unit: panel.unit } : {}) }, overrides: [] },
      targets: [{ refId: "A", expr: panel.expr, datasource: { type: "prometheus", uid: datasourceUid } }],
    })),
  });
}
