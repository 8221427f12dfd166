import { tempoConnections } from "../../lib/connections/observability.ts";
import { TEMPO } from "../../lib/connections/platform-peers.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { scrape } from "../../lib/inventory/connection.ts";
import { homeOf, OBSERVABILITY_NAMESPACE } from "../../lib/platform.ts";
import { tempoValues } from "./observability-values.ts";

/** Tempo, the trace store, on the observability home beside Loki. */
export const tempo: PlatformComponent = {
  name: "tempo",
  chart: "tempo",
  namespace: OBSERVABILITY_NAMESPACE,
  layer: "apps",
  runsOn: (cluster, estate) => cluster === homeOf(estate, "observability"),
  keepsData: true,
  values: tempoValues,
  metrics: () => [scrape("tempo", TEMPO, 3200)],
  connections: tempoConnections,
};
