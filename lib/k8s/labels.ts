import type { Placement } from "../inventory/model.ts";

export const STAGE_LABEL = "waterschap.example/stage";
export const GROUP_LABEL = "waterschap.example/group";
export const NAME_LABEL = "app.kubernetes.io/name";

/** The labels a workload's pods are selected by: stable for the workload's life (selectors are immutable). */
export function selectorLabels(p: Placement): Record<string, string> {
  return { [NAME_LABEL]: p.workload.name };
}

/** Everything the policies and network rules look at, on pods and their controllers. */
export function podLabels(p: Placement): Record<string, string> {
  return {
    ...selectorLabels(p),
    "app.kubernetes.io/part-of": p.workload.group,
    "app.kubernetes.io/version": p.version.startsWith("sha256:") ? p.version.slice(7, 19) : p.version,
    [STAGE_LABEL]: p.stage,
    [DATA_LEVEL_LABEL]: p.workload.dataLevel,
  };
}

/**
 * Geo-fencing: data labelled `data-level=high` never leaves the datacenter. Decided here, twice:
 * at synth time for what Git declares, and at admission for everything else.
 */
export const DATA_LEVEL_LABEL = "data-level";
