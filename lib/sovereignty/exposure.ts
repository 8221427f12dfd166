import type { Cluster, Placement } from "../inventory/model.ts";
import { chainTo, holdings, label, sent } from "./prove.ts";
import { dataTransfers } from "./transfers.ts";

/**
 * A workload's data exposure in one environment, for `npm run explain`: the highest level of data it
 * comes to hold (and the chain that brings it), and what it sends where, at which level, with the
 * declared step that lowers it.
 */
export function exposureOf(
  clusters: readonly Cluster[],
  placements: readonly Placement[],
  p: Placement,
): string[] {
  const transfers = dataTransfers(clusters, placements);
  const held = holdings(transfers);
  const id = `${p.workload.name}@${p.cluster.name}/${p.stage}`;
  const level = held.get(id)?.level ?? p.workload.dataLevel;
  const own = p.workload.dataLevel;
  const node = transfers.flatMap((t) => [t.from, t.to]).find((n) => n.id === id);
  const lines = [
    level === own || !node
      ? `holds ${own} data (its own)`
      : `holds ${level} data (its own is ${own}): ${chainTo(node, level, held).join(" -> ")}`,
  ];
  const sends = transfers
    .filter((t) => t.from.id === id)
    .map((t) => {
      const carried = sent(t, held);
      const lowered =
        carried !== level
          ? ` (lowered by ${t.cap ? `the declared ${t.declaredBy.field}.returns` : "anonymising"})`
          : "";
      return `sends ${carried} data to ${label(t.to)}${lowered}`;
    });
  return [...lines, ...[...new Set(sends)].sort()];
}
