import type { Connection, PodsPeer } from "../inventory/connection.ts";
import { peerMatches } from "./pods.ts";
import type { ClusterPolicies, PodView } from "./policies.ts";

/**
 * The pods and declared connections of one cluster, indexed by namespace, so the proof asks each
 * selector only about the pods it can name (a NetworkPolicy peer or a declared end is confined to its
 * namespace, or to the namespaces its namespaceSelector picks) instead of about every pod.
 */
export class PodIndex {
  private readonly byNamespace = new Map<string, PodView[]>();
  private readonly connectionsTo = new Map<string, Connection[]>();

  constructor(
    readonly pods: readonly PodView[],
    connections: readonly Connection[],
  ) {
    for (const pod of pods) this.byNamespace.set(pod.namespace, [...this.inNamespace(pod.namespace), pod]);
    for (const c of connections)
      if (c.to.kind === "pods")
        this.connectionsTo.set(c.to.namespace, [...(this.connectionsTo.get(c.to.namespace) ?? []), c]);
  }

  inNamespace(namespace: string): readonly PodView[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** The pods a declared end names. */
  matching(peer: PodsPeer): PodView[] {
    return this.inNamespace(peer.namespace).filter((pod) => peerMatches(peer, pod));
  }

  /** Declared connections whose destination end names this pod. */
  connectionsInto(dst: PodView): Connection[] {
    return (this.connectionsTo.get(dst.namespace) ?? []).filter((c) => peerMatches(c.to, dst));
  }

  /**
   * Every pod that could be let in to `dst`: all pods when no policy isolates it for ingress or a rule
   * admits any source; else the pods its ingress rules' peers select. A superset of the pods that may
   * reach it, which `ClusterPolicies.reachable` then decides exactly.
   */
  possibleSources(policies: ClusterPolicies, dst: PodView): readonly PodView[] {
    const isolating = policies.selecting(dst, "Ingress");
    if (isolating.length === 0) return this.pods;
    const rules = isolating.flatMap((policy) =>
      policy.ingress.map((rule) => ({ namespace: policy.namespace, peers: rule.from ?? [] })),
    );
    if (rules.some((rule) => rule.peers.length === 0)) return this.pods;
    const sources = new Set<PodView>();
    for (const { namespace, peers } of rules)
      for (const peer of peers) {
        // Without a namespaceSelector (or an ipBlock) a peer can only name pods of the policy's own namespace.
        const anywhere = peer.namespaceSelector || peer.ipBlock;
        const namespaces = anywhere ? [...this.byNamespace.keys()] : [namespace];
        for (const ns of namespaces)
          for (const pod of this.inNamespace(ns))
            if (policies.peerSelectsPod(peer, namespace, pod)) sources.add(pod);
      }
    return [...sources];
  }
}
