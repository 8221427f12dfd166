import { grafanaConnections } from "../../lib/connections/observability.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { homeOf, OBSERVABILITY_NAMESPACE } from "../../lib/platform.ts";
import { grafanaValues } from "./grafana-values.ts";

/** Grafana on the observability home, for the datacenter's users (dashboards in grafana-values.ts). */
export const grafana: PlatformComponent = {
  name: "grafana",
  chart: "grafana",
  namespace: OBSERVABILITY_NAMESPACE,
  layer: "apps",
  runsOn: (cluster, estate) => cluster === homeOf(estate, "observability"),
  values: grafanaValues,
  connections: grafanaConnections,
  freeFormValues: [
    {
      path: "grafana.ini",
      why: "Grafana's own ini file, every section and key written out as given (templates/_config.tpl)",
    },
  ],
};
