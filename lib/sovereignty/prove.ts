import type { Problem } from "../errors.ts";
import type { Cluster, Placement } from "../inventory/model.ts";
import { type DataLevel, levelRank } from "../inventory/schema.ts";
import { type DataNode, dataTransfers, type Transfer } from "./transfers.ts";

const rank = levelRank;
const lower = (a: DataLevel, b: DataLevel | undefined) => (b !== undefined && rank(b) < rank(a) ? b : a);

/** The highest level of data a node comes to hold, and the transfer that brought it (for the chain). */
export interface Held {
  readonly level: DataLevel;
  readonly via?: Transfer;
}

/**
 * Data sovereignty over the whole estate: every workload holds the highest level of data that can
 * reach it by any chain of transfers (dataTransfers), lowered only by declared anonymising steps (a
 * route's `returns`, a workload that `anonymises` before it calls a language model). Then, for every
 * transfer: no high data reaches a cloud cluster, a public gateway or an external endpoint; what
 * leaves the datacenter for the cloud is low (anonymised); an endpoint gets nothing above its
 * `maxDataLevel`, and a language model medium data only from an anonymising workload. Each violation
 * names the chain, from the workload that owns the data to where it would arrive.
 */
export function sovereigntyProblems(
  clusters: readonly Cluster[],
  placements: readonly Placement[],
): Problem[] {
  const transfers = dataTransfers(clusters, placements);
  const held = holdings(transfers);
  const problems = new Map<string, Problem>();
  for (const t of transfers) {
    const level = sent(t, held);
    const limit = limitOf(t);
    if (rank(level) <= rank(limit.level)) continue;
    const chain = [...chainTo(t.from, level, held), label(t.to)].join(" -> ");
    const message = `${level} data would reach ${label(t.to)}, ${limit.why}: ${chain}`;
    const { placement, field } = t.declaredBy;
    problems.set(message, {
      file: placement.workload.source,
      cluster: placement.cluster.name,
      workload: placement.workload.name,
      field,
      rule: "data-sovereignty",
      message,
    });
  }
  return [...problems.values()];
}

export function holdings(transfers: readonly Transfer[]): Map<string, Held> {
  const held = new Map<string, Held>();
  for (const t of transfers)
    for (const n of [t.from, t.to])
      if (n.kind === "placement" && !held.has(n.id))
        held.set(n.id, { level: n.placement.workload.dataLevel });
  const outgoing = new Map<string, Transfer[]>();
  for (const t of transfers) outgoing.set(t.from.id, [...(outgoing.get(t.from.id) ?? []), t]);
  const queue = [...held.keys()];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const t of outgoing.get(id) ?? []) {
      if (t.to.kind !== "placement") continue;
      const level = sent(t, held);
      const current = held.get(t.to.id) as Held;
      if (rank(level) <= rank(current.level)) continue;
      // a hop the proof refuses is reported there; what would follow it is no second finding
      if (rank(level) > rank(limitOf(t).level)) continue;
      held.set(t.to.id, { level, via: t });
      queue.push(t.to.id);
    }
  }
  return held;
}

/** What a transfer carries: what its sender holds, lowered by a declared cap or an anonymising sender. */
export function sent(t: Transfer, held: ReadonlyMap<string, Held>): DataLevel {
  const level = t.from.kind === "placement" ? (held.get(t.from.id)?.level ?? "low") : "low";
  const anonymised =
    t.to.kind === "endpoint" &&
    t.to.languageModel &&
    t.from.kind === "placement" &&
    t.from.placement.workload.anonymises;
  return lower(lower(level, t.cap), anonymised ? "low" : undefined);
}

export function limitOf(t: Transfer): { level: DataLevel; why: string } {
  const fromDatacenter = t.from.kind === "placement" && t.from.placement.cluster.location === "on-prem";
  if (t.to.kind === "endpoint")
    return t.to.languageModel
      ? { level: "low", why: "an external language model (medium only through a workload that anonymises)" }
      : { level: t.to.maxDataLevel, why: `which takes at most ${t.to.maxDataLevel} data` };
  const toCloud = t.to.kind === "public" || t.to.placement.cluster.location === "cloud";
  if (toCloud && fromDatacenter)
    return { level: "low", why: "in the cloud, which gets only anonymised data from the datacenter" };
  if (toCloud) return { level: "medium", why: "in the cloud, where high data never goes" };
  return { level: "high", why: "" };
}

/** The chain of nodes that brought `level` data to `node`, from the workload that owns it. */
export function chainTo(node: DataNode, level: DataLevel, held: ReadonlyMap<string, Held>): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let at: DataNode | undefined = node; at && !seen.has(at.id); at = held.get(at.id)?.via?.from) {
    seen.add(at.id);
    if (at.kind !== "placement") {
      chain.unshift(label(at));
      break;
    }
    const own = at.placement.workload.dataLevel;
    if (rank(own) >= rank(level)) {
      chain.unshift(`${label(at)} (${own})`);
      break;
    }
    chain.unshift(label(at));
  }
  return chain;
}

export function label(n: DataNode): string {
  if (n.kind === "endpoint") return n.name;
  if (n.kind === "public") return `${n.cluster.name} public gateway`;
  const p = n.placement;
  const where = p.cluster.location === "cloud" ? ` on ${p.cluster.name}` : "";
  return `${p.workload.name}${p.stage === "prod" ? "" : ` (${p.stage})`}${where}`;
}
