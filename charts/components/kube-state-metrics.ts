import { KUBE_STATE_METRICS } from "../../lib/connections/metrics.ts";
import { apiServerLinks } from "../../lib/connections/platform.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { scrape } from "../../lib/inventory/connection.ts";
import { kubeStateValues } from "../../lib/observability/kube-state.ts";
import { KUBE_STATE_NAMESPACE } from "../../lib/platform.ts";

/** kube-state-metrics on every cluster: the API's objects as metrics, Flux's readiness among them. */
export const kubeStateMetrics: PlatformComponent = {
  name: "kube-state-metrics",
  chart: "kube-state-metrics",
  namespace: KUBE_STATE_NAMESPACE,
  ownNamespace: {
    holds: "kube-state-metrics: the API's objects as metrics, Flux's readiness among them",
    podSecurity: "restricted",
  },
  layer: "apps",
  values: kubeStateValues,
  connections: (cluster) => [
    apiServerLinks(cluster).to(
      "kube-state-metrics",
      KUBE_STATE_METRICS,
      "kube-state-metrics lists and watches the objects it reports",
    ),
  ],
  metrics: () => [scrape("kube-state-metrics", KUBE_STATE_METRICS, 8080)],
  singletons: {
    "kube-state-metrics":
      "reports the API's state on each scrape; a gap of a scrape or two while it moves shows in the graphs, alerts wait their 'for'",
  },
};
