import { levelRank } from "../inventory/schema.ts";
import { DATA_PATHS, type DataPath, readDataPaths } from "../sovereignty/paths-doc.ts";
import type { RiskFlag } from "./risks.ts";

/**
 * Every change that opens a data path, from the data-path documents synth writes on both sides: a new
 * path (high when it carries more than low data or leaves the datacenter), a path that now carries a
 * higher level, and one a new anonymising claim lowers (the claim is what a reviewer must check).
 */
export function dataPathRisks(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
): RiskFlag[] {
  // A base rendered before synth recorded data paths has nothing to compare with.
  if (!base.has(DATA_PATHS)) return [];
  const before = new Map(readDataPaths(base.get(DATA_PATHS)).map((p) => [`${p.from} ${p.to}`, p]));
  const flags: RiskFlag[] = [];
  for (const path of readDataPaths(head.get(DATA_PATHS))) {
    const old = before.get(`${path.from} ${path.to}`);
    const flag = (severity: RiskFlag["severity"], message: string): RiskFlag => ({
      severity,
      rule: "data-path",
      cluster: clusterOf(path),
      object: `data path ${path.from} -> ${path.to}`,
      message: `${message} (${path.declaredBy})`,
    });
    if (!old)
      flags.push(
        flag(
          path.carries !== "low" || path.leaves ? "high" : "medium",
          `new path carrying ${path.carries} data${path.leaves ? ", out of the datacenter or the estate" : ""}`,
        ),
      );
    else if (levelRank(path.carries) > levelRank(old.carries))
      flags.push(flag("high", `now carries ${path.carries} data (was ${old.carries})`));
    // Only a declared anonymising step lowers a level: the claim itself is what to review.
    else if (levelRank(path.carries) < levelRank(old.carries))
      flags.push(
        flag(
          "high",
          `now carries ${path.carries} data (was ${old.carries}): a declared anonymising step lowers it; review its reason`,
        ),
      );
  }
  return flags;
}

const clusterOf = (path: DataPath) => path.from.split("@")[1]?.split("/")[0] ?? "estate";
