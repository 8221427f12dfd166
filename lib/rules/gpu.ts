import type { PlacementRule } from "./rule.ts";

/** GPU workloads only where the inventory says there are GPU nodes (the scheduler would leave them Pending). */
export const gpuNodes: PlacementRule = {
  id: "gpu-nodes",
  field: "gpu",
  check: (p) =>
    p.workload.gpu && !p.cluster.gpuNodes
      ? `asks for ${p.workload.gpu} GPU(s), but ${p.cluster.name} has no GPU nodes`
      : undefined,
};
