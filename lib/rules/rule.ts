import type { Problem } from "../errors.ts";
import type { Placement } from "../inventory/model.ts";

/**
 * A rule the cluster's admission enforces, checked at synth time too: a placement the cluster would
 * reject never reaches Git. `check` returns why the placement breaks the rule, or nothing.
 */
export interface PlacementRule {
  readonly id: string;
  readonly field: string;
  check(placement: Placement): string | undefined;
}

export function checkPlacements(
  rules: readonly PlacementRule[],
  placements: readonly Placement[],
): Problem[] {
  return placements.flatMap((p) =>
    rules.flatMap((rule) => {
      const why = rule.check(p);
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
