import type { Cluster, Placement } from "../inventory/model.ts";
import type { DataLevel } from "../inventory/schema.ts";
import { effectiveEndpointClass } from "./endpoints.ts";

/** Where data can be: a workload in one environment, an external endpoint, a cloud cluster's public gateway. */
export type DataNode =
  | { readonly kind: "placement"; readonly id: string; readonly placement: Placement }
  | {
      readonly kind: "endpoint";
      readonly id: string;
      readonly cluster: Cluster;
      readonly name: string;
      readonly maxDataLevel: DataLevel;
      readonly languageModel: boolean;
    }
  | { readonly kind: "public"; readonly id: string; readonly cluster: Cluster };

/** One way data moves: requests along a flow or to an endpoint, answers back, a route to its callers. */
export interface Transfer {
  readonly from: DataNode;
  readonly to: DataNode;
  /** A declared anonymising step on this transfer: it carries at most this level. */
  readonly cap?: DataLevel;
  /** The catalogue field that declares the transfer, on the workload it belongs to. */
  readonly declaredBy: { readonly placement: Placement; readonly field: string };
}

const placementId = (p: Placement) => `${p.workload.name}@${p.cluster.name}/${p.stage}`;

/**
 * Every transfer the inventory declares, both ways: a flow carries the caller's data to the callee
 * and the callee's answers back; a JWT route carries its callers' requests in and its answers out
 * (to callers on any cluster); a route on a cloud cluster's gateway, or forwarded by one
 * (`publishVia`), answers the public; egress carries requests to the endpoint. Platform stores
 * (PostGIS, the object store) are left out: each caller reaches only its own database or buckets,
 * which validate proves (database credentials, bucket access), so they mix no one's data.
 */
export function dataTransfers(clusters: readonly Cluster[], placements: readonly Placement[]): Transfer[] {
  const nodes = new Map<string, DataNode>();
  const node = (p: Placement): DataNode =>
    cached(nodes, placementId(p), () => ({ kind: "placement", id: placementId(p), placement: p }));
  const publicOf = (cluster: Cluster): DataNode =>
    cached(nodes, `public:${cluster.name}`, () => ({
      kind: "public",
      id: `public:${cluster.name}`,
      cluster,
    }));
  const transfers: Transfer[] = [];
  for (const p of placements) {
    const own = node(p);
    for (const [i, flow] of p.workload.flows.entries()) {
      if (flow.stages && !flow.stages.includes(p.stage)) continue;
      const target = placements.find(
        (q) => q.cluster === p.cluster && q.stage === p.stage && q.workload.name === flow.to,
      );
      if (!target) continue; // a platform store, or refused elsewhere
      const declaredBy = { placement: p, field: `flows.${i}` };
      transfers.push(
        { from: own, to: node(target), declaredBy },
        { from: node(target), to: own, declaredBy },
      );
    }
    for (const name of p.workload.egress) {
      const effective = effectiveEndpointClass(clusters, p.cluster, name);
      if (!effective) continue;
      const id = `endpoint:${p.cluster.name}/${name}`;
      const to = cached(nodes, id, () => ({ kind: "endpoint", id, cluster: p.cluster, name, ...effective }));
      transfers.push({ from: own, to, declaredBy: { placement: p, field: "egress" } });
    }
    for (const [i, route] of p.workload.routes.entries()) {
      const declaredBy = { placement: p, field: `routes.${i}` };
      const cap = route.returns?.level;
      for (const caller of route.jwt?.callers ?? [])
        for (const q of placements.filter((q) => q.workload.name === caller && q.stage === p.stage))
          transfers.push({ from: node(q), to: own, declaredBy }, { from: own, to: node(q), cap, declaredBy });
      if (p.cluster.location === "cloud")
        transfers.push({ from: own, to: publicOf(p.cluster), cap, declaredBy });
      const via = clusters.find((c) => c.name === route.publishVia);
      if (via && p.stage === "prod") transfers.push({ from: own, to: publicOf(via), cap, declaredBy });
    }
  }
  return transfers;
}

function cached(nodes: Map<string, DataNode>, id: string, make: () => DataNode): DataNode {
  const found = nodes.get(id);
  if (found) return found;
  const made = make();
  nodes.set(id, made);
  return made;
}
