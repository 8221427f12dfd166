import type { HelmChartRef } from "./helm-component.ts";

/**
 * Every Helm chart the estate installs, pinned to an exact version, in one place. Each is vendored as
 * `vendor/charts/<chart>-<version>.tgz` (with its row in vendor/SOURCES.md) and pulled by the clusters
 * from `<mirrors.charts>/<chart>:<version>`; test/chart-pins.test.ts checks that pins and archives
 * match both ways. Bump a version here and vendor the new archive: the pull request's diff shows
 * every cluster it touches, down to the chart's rendered objects.
 */
export const CHART_PINS = {
  kyverno: { chart: "kyverno", version: "3.9.0" },
  kong: { chart: "ingress", version: "0.24.0" },
  gpuOperator: { chart: "gpu-operator", version: "v26.7.0" },
  cloudnativePg: { chart: "cloudnative-pg", version: "0.29.0" },
  barmanCloud: { chart: "plugin-barman-cloud", version: "0.7.0" },
  certManager: { chart: "cert-manager", version: "v1.21.1" },
  ollama: { chart: "ollama", version: "1.77.0" },
  loki: { chart: "loki", version: "6.46.0" },
  tempo: { chart: "tempo", version: "1.24.1" },
  otelCollector: { chart: "opentelemetry-collector", version: "0.140.0" },
  minio: { chart: "minio", version: "5.4.0" },
  clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.59.0" },
  rancher: { chart: "rancher", version: "2.14.4" },
  prometheus: { chart: "prometheus", version: "29.27.0" },
  grafana: { chart: "grafana", version: "12.11.1" },
  kubeStateMetrics: { chart: "kube-state-metrics", version: "8.4.0" },
} as const satisfies Record<string, HelmChartRef>;

/**
 * Charts an operator installs at run time, not Flux: vendored at the version the operator pins, so
 * the proof renders what will run (lib/hydrate/rancher-system-charts.ts). Bump with the operator.
 */
export const SYSTEM_CHART_PINS = {
  /** Rancher v2.14.4 `build.yaml`: `webhookVersion: 109.0.5+up0.10.9`. */
  rancherWebhook: { chart: "rancher-webhook", version: "0.10.9" },
} as const satisfies Record<string, HelmChartRef>;
