import { levelRank } from "../inventory/schema.ts";
import { effectiveEndpointClass } from "../sovereignty/endpoints.ts";
import type { PlacementRule } from "./rule.ts";

/**
 * External egress only to endpoints the cluster's inventory names (with their CIDR), and never for
 * data-level=high workloads. Each endpoint takes data up to its `maxDataLevel`, judged with every
 * endpoint that shares its address (the strictest wins, lib/sovereignty/endpoints.ts); a language
 * model takes low data, or medium data from a workload that anonymises it first.
 */
export const externalEgress: PlacementRule = {
  id: "external-egress",
  field: "egress",
  check: ({ workload, cluster }, clusters) => {
    const unknown = workload.egress.filter((e) => !cluster.externalEndpoints[e]);
    if (unknown.length > 0) {
      const known = Object.keys(cluster.externalEndpoints).join(", ") || "none";
      return `external endpoint(s) ${unknown.join(", ")} are not defined for ${cluster.name} (known: ${known})`;
    }
    if (workload.dataLevel === "high" && workload.egress.length > 0) {
      return "data-level=high workloads may not call external endpoints";
    }
    for (const name of workload.egress) {
      const effective = effectiveEndpointClass(clusters, cluster, name);
      if (!effective) continue;
      const shared = effective.sharedWith.length
        ? ` (its address is shared with ${effective.sharedWith.join(", ")})`
        : "";
      if (effective.languageModel && workload.dataLevel === "medium" && !workload.anonymises)
        return `data-level=medium may reach the external model (${name}${shared}) only through a workload that anonymises first (anonymises: true, the router)`;
      const sent =
        workload.dataLevel === "medium" && workload.anonymises && effective.languageModel
          ? "low"
          : workload.dataLevel;
      if (levelRank(sent) > levelRank(effective.maxDataLevel))
        return `data-level=${workload.dataLevel} may not reach ${name}, which takes at most ${effective.maxDataLevel} data${shared}`;
    }
    return undefined;
  },
};
