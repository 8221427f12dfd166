import type { Problem } from "../errors.ts";
import type { Estate, Placement } from "../inventory/model.ts";

/**
 * A forwarded route (`publishVia`) must name a cloud cluster: only a public gateway forwards. It is
 * forwarded in the environments that cluster runs (prod), never across OTAP stages.
 */
export function checkForwards(estate: Pick<Estate, "clusters">, placements: readonly Placement[]): Problem[] {
  const problems: Problem[] = [];
  for (const p of placements) {
    for (const [i, route] of p.workload.routes.entries()) {
      if (!route.publishVia) continue;
      const via = estate.clusters.find((c) => c.name === route.publishVia);
      const why = !via
        ? `cluster "${route.publishVia}" does not exist`
        : via.location !== "cloud"
          ? `"${via.name}" has no public gateway (it is not a cloud cluster)`
          : undefined;
      if (why) {
        problems.push({
          file: p.workload.source,
          cluster: p.cluster.name,
          workload: p.workload.name,
          field: `routes.${i}.publishVia`,
          rule: "route-forward",
          message: why,
        });
      }
    }
  }
  return problems;
}
