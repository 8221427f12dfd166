import { lokiConnections } from "../../lib/connections/observability.ts";
import { LOKI } from "../../lib/connections/platform-peers.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { scrape } from "../../lib/inventory/connection.ts";
import { homeOf, OBSERVABILITY_NAMESPACE } from "../../lib/platform.ts";
import { lokiValues } from "./observability-values.ts";

/** Loki, the log store, on the observability home (push paths and Grafana in charts/observability.ts). */
export const loki: PlatformComponent = {
  name: "loki",
  chart: "loki",
  namespace: OBSERVABILITY_NAMESPACE,
  ownNamespace: { holds: "Loki, Tempo, Prometheus and Grafana", podSecurity: "restricted" },
  layer: "apps",
  runsOn: (cluster, estate) => cluster === homeOf(estate, "observability"),
  keepsData: true,
  values: lokiValues,
  metrics: () => [scrape("loki", LOKI, 3100)],
  connections: lokiConnections,
  freeFormValues: [
    { path: "loki.storage.bucketNames", why: "documented as a comment in values.yaml; required for S3" },
    {
      path: "loki.limits_config",
      why: "Loki's own limits_config block, rendered whole into its config (templates/_helpers.tpl); values.yaml lists only some defaults",
    },
  ],
};
