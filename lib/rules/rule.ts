import type { Problem } from "../errors.ts";
import type { Cluster, Placement } from "../inventory/model.ts";
import type { RuleId } from "../rule-registry.ts";

/**
 * A rule the cluster's admission enforces, checked at synth time too: a placement the cluster would
 * reject never reaches Git. `check` returns why the placement breaks the rule, or nothing.
 */
export interface PlacementRule {
  readonly id: RuleId;
  readonly field: string;
  /** `clusters`: the whole inventory, for rules that judge one placement against every cluster. */
  check(placement: Placement, clusters: readonly Cluster[]): string | undefined;
}

export function checkPlacements(
  rules: readonly PlacementRule[],
  placements: readonly Placement[],
  clusters: readonly Cluster[] = [...new Set(placements.map((p) => p.cluster))],
): Problem[] {
  return placements.flatMap((p) =>
    rules.flatMap((rule) => {
      const why = rule.check(p, clusters);
      return why
        ? [
            {
              file: p.workload.source,
              cluster: p.cluster.name,
              workload: p.workload.name,
              field: rule.field,
              rule: rule.id,
              message: why,
            },
          ]
        : [];
    }),
  );
}
