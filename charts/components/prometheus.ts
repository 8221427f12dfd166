import { prometheusConnections } from "../../lib/connections/observability.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { homeOf, OBSERVABILITY_NAMESPACE } from "../../lib/platform.ts";
import { prometheusValues } from "./metrics-values.ts";

/** The metrics store (Prometheus, with Alertmanager) on the observability home; the agents push to it. */
export const prometheus: PlatformComponent = {
  name: "prometheus",
  chart: "prometheus",
  namespace: OBSERVABILITY_NAMESPACE,
  layer: "apps",
  runsOn: (cluster, estate) => cluster === homeOf(estate, "observability"),
  keepsData: true,
  values: prometheusValues,
  connections: prometheusConnections,
  freeFormValues: [
    {
      path: "alertmanager.config",
      why: "Alertmanager's own configuration file, which the alertmanager chart writes out whole (templates/configmap.yaml)",
    },
    {
      path: "serverFiles",
      why: "files written into Prometheus's ConfigMap whole, alerting_rules.yml among them (templates/cm.yaml)",
    },
  ],
};
