import type { PinnedComponent, PlatformComponent } from "../../lib/inventory/component.ts";
import { certManager } from "./cert-manager.ts";
import { cloudnativePg } from "./cloudnative-pg.ts";
import { clusterAutoscaler } from "./cluster-autoscaler.ts";
import { gpuOperator } from "./gpu-operator.ts";
import { grafana } from "./grafana.ts";
import { kong } from "./kong.ts";
import { kubeStateMetrics } from "./kube-state-metrics.ts";
import { kyverno } from "./kyverno.ts";
import { loki } from "./loki.ts";
import { minio } from "./minio.ts";
import { ollama } from "./ollama.ts";
import { otelAgent } from "./otel-agent.ts";
import { pluginBarmanCloud } from "./plugin-barman-cloud.ts";
import { prometheus } from "./prometheus.ts";
import { rancher } from "./rancher.ts";
import { tempo } from "./tempo.ts";

const pin = (component: PlatformComponent, version: string): PinnedComponent => ({ ...component, version });

/**
 * Every Helm chart the estate installs: its component (one descriptor each, in this folder) pinned to
 * an exact chart version, in one place. Each chart is vendored as `vendor/charts/<chart>-<version>.tgz`
 * (with its row in vendor/SOURCES.md) and pulled by the clusters from
 * `<mirrors.charts>/<chart>:<version>`; test/chart-pins.test.ts checks that pins and archives match
 * both ways. Bump a version here and vendor the new archive: the pull request's diff shows every
 * cluster it touches, down to the chart's rendered objects.
 */
export const PLATFORM_COMPONENTS: readonly PinnedComponent[] = [
  pin(kyverno, "3.9.0"),
  pin(kong, "0.24.0"),
  pin(gpuOperator, "v26.7.0"),
  pin(cloudnativePg, "0.29.0"),
  pin(pluginBarmanCloud, "0.7.0"),
  pin(certManager, "v1.21.1"),
  pin(ollama, "1.77.0"),
  pin(loki, "6.46.0"),
  pin(tempo, "1.24.1"),
  pin(otelAgent, "0.140.0"),
  pin(minio, "5.4.0"),
  pin(clusterAutoscaler, "9.59.0"),
  pin(rancher, "2.14.4"),
  pin(prometheus, "29.27.0"),
  pin(grafana, "12.11.1"),
  pin(kubeStateMetrics, "8.4.0"),
];
