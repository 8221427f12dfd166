import type { PlacementRule } from "./rule.ts";

/**
 * External egress only to endpoints the cluster's inventory names (with their CIDR), and never for
 * data-level=high workloads: high data may only reach internal models.
 */
export const externalEgress: PlacementRule = {
  id: "external-egress",
  field: "egress",
  check: ({ workload, cluster }) => {
    const unknown = workload.egress.filter((e) => !cluster.externalEndpoints[e]);
    if (unknown.length > 0) {
      const known = Object.keys(cluster.externalEndpoints).join(", ") || "none";
      return `external endpoint(s) ${unknown.join(", ")} are not defined for ${cluster.name} (known: ${known})`;
    }
    if (workload.dataLevel === "high" && workload.egress.length > 0) {
      return "data-level=high workloads may not call external endpoints";
    }
    return undefined;
  },
};
