import type { PlacementRule } from "./rule.ts";

/**
 * External egress only to endpoints the cluster's inventory names (with their CIDR), and never for
 * data-level=high workloads: high data may only reach internal models. An external language model
 * (`languageModel: true`) takes low data, or medium data from a workload that anonymises it first.
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
    const models = workload.egress.filter((e) => cluster.externalEndpoints[e]?.languageModel);
    if (models.length > 0 && workload.dataLevel === "medium" && !workload.anonymises) {
      return `data-level=medium may reach the external model (${models.join(", ")}) only through a workload that anonymises first (anonymises: true, the router)`;
    }
    return undefined;
  },
};
