import type { PlacementRule } from "./rule.ts";

/**
 * A workload's own volume is ReadWriteOnce (lib/workloads/app-workload.ts): it attaches to one node,
 * so a second replica, or an autoscaler that may add one, would wait on another node for ever.
 */
export const singleWriterStorage: PlacementRule = {
  id: "single-writer-storage",
  field: "storage",
  check: ({ workload }) => {
    if (!workload.storage) return undefined;
    if (workload.replicas > 1)
      return `a ReadWriteOnce volume attaches to one node: ${workload.replicas} replicas would leave pods on other nodes waiting for ever; use replicas: 1`;
    if (workload.autoscale && workload.autoscale.max > 1)
      return `a ReadWriteOnce volume attaches to one node: autoscaling to ${workload.autoscale.max} would leave the added pods waiting; do not autoscale a workload with storage`;
    return undefined;
  },
};
