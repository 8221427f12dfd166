import type { Placement } from "../inventory/model.ts";
import type { RolloutProfile } from "../inventory/workload-schema.ts";

export interface RolloutSettings {
  readonly strategy: "Recreate" | { maxSurge: string | number; maxUnavailable: string | number };
  readonly minReadySeconds: number;
  readonly progressDeadlineSeconds: number;
}

/**
 * The rollout profiles of the design: Blitz (test: fast, downtime acceptable), Cautious (prod minor:
 * maxSurge 25%, maxUnavailable 0, minReadySeconds 30), Paranoid (prod major: one pod at a time, 300 s).
 */
export const ROLLOUT: Record<RolloutProfile, RolloutSettings> = {
  blitz: { strategy: "Recreate", minReadySeconds: 0, progressDeadlineSeconds: 120 },
  cautious: {
    strategy: { maxSurge: "25%", maxUnavailable: 0 },
    minReadySeconds: 30,
    progressDeadlineSeconds: 600,
  },
  paranoid: {
    strategy: { maxSurge: 1, maxUnavailable: 0 },
    minReadySeconds: 300,
    progressDeadlineSeconds: 3600,
  },
};

/** The workload's choice for this environment, else blitz in dev and test, cautious in acc and prod. */
export function rolloutProfile(p: Placement): RolloutProfile {
  return p.workload.rollout[p.stage] ?? (p.stage === "dev" || p.stage === "test" ? "blitz" : "cautious");
}
