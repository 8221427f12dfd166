import { dataPathRisks } from "./data-paths.ts";
import { fieldChanges } from "./fields.ts";
import { indexObjects } from "./objects.ts";
import { type ObjectChange, type RiskFlag, riskFlags } from "./risks.ts";

export interface ClusterSummary {
  readonly cluster: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export interface EstateDiff {
  readonly changes: readonly ObjectChange[];
  readonly clusters: readonly ClusterSummary[];
  readonly risks: readonly RiskFlag[];
}

/** Compares two rendered trees object by object (not file by file), as a reviewer reads them. */
export function diffTrees(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): EstateDiff {
  const before = indexObjects(base);
  const after = indexObjects(head);
  const changes: ObjectChange[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(key);
    const b = after.get(key);
    if (!a && b) changes.push({ change: "added", after: b, fields: [] });
    else if (a && !b) changes.push({ change: "removed", before: a, fields: [] });
    else if (a && b) {
      const fields = fieldChanges(a.manifest, b.manifest);
      if (fields.length > 0) changes.push({ change: "changed", before: a, after: b, fields });
    }
  }
  const clusters = [...new Set(changes.map((c) => (c.after ?? c.before)?.cluster as string))]
    .sort()
    .map((cluster) => {
      const of = changes.filter((c) => (c.after ?? c.before)?.cluster === cluster);
      return {
        cluster,
        added: of.filter((c) => c.change === "added").length,
        changed: of.filter((c) => c.change === "changed").length,
        removed: of.filter((c) => c.change === "removed").length,
      };
    });
  return { changes, clusters, risks: [...dataPathRisks(base, head), ...riskFlags(changes)] };
}
