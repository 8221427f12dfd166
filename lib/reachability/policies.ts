import { type LabelSelector, selectorMatches } from "../admission/label-selector.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { addressBounds, cidrWithin } from "../network/cidr.ts";

/** A pod of the hydrated estate as NetworkPolicies see it. */
export interface PodView {
  readonly namespace: string;
  /** The workload it belongs to (Deployment, StatefulSet, Job, operator-made instance set…). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol: string }[];
  /** Its address, where known (a test's pods); estate pods take any address of the pod network. */
  readonly address?: string;
}

/** The cluster's pod network as its platform contract declares it: which CNI matches ipBlocks. */
export interface PodNetwork {
  readonly plugin: string;
  readonly podCidr: string;
}
/** CNIs whose NetworkPolicy ipBlocks match pod addresses (Calico's Felix, also under Canal). */
const IPBLOCK_MATCHES_PODS = ["canal", "calico"];

/** The other end of a connection: a pod, or an address range outside the pod network. */
export type Party = { readonly pod: PodView } | { readonly cidr: string };

export interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
export interface PolicyPeer {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
export interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}
export interface Policy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  readonly types: readonly string[];
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

export type Direction = "Ingress" | "Egress";

/**
 * The NetworkPolicies of one cluster, evaluated the way the API documents them: a pod is isolated in
 * a direction when any policy of its namespace selects it for that direction; then a connection is
 * allowed when a rule of a selecting policy admits the peer and the port (named ports resolve at the
 * destination pod). Both ends must allow a pod-to-pod connection.
 */
export class ClusterPolicies {
  private readonly byNamespace = new Map<string, Policy[]>();
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  /** What the evaluation met and cannot judge: each a "cannot prove" of the proof. */
  readonly unprovable = new Set<string>();

  constructor(
    manifests: readonly Manifest[],
    private readonly network: PodNetwork,
  ) {
    for (const m of manifests) {
      if (m.kind === "Namespace" && m.apiVersion === "v1")
        this.addNamespace(m.metadata?.name as string, m.metadata?.labels);
      if (m.kind !== "NetworkPolicy") continue;
      const spec = (m.spec ?? {}) as Record<string, any>;
      const egress = (spec.egress ?? []) as PolicyRule[];
      const policy: Policy = {
        namespace: m.metadata?.namespace as string,
        name: m.metadata?.name as string,
        podSelector: spec.podSelector ?? {},
        types: spec.policyTypes ?? ["Ingress", ...(egress.length ? ["Egress"] : [])],
        ingress: spec.ingress ?? [],
        egress,
      };
      this.byNamespace.set(policy.namespace, [...(this.byNamespace.get(policy.namespace) ?? []), policy]);
    }
  }

  addNamespace(name: string, labels: Record<string, string> = {}): void {
    this.namespaceLabels.set(name, { ...labels, "kubernetes.io/metadata.name": name });
  }

  /** Policies of the pod's namespace that select it for the direction; none means not isolated. */
  selecting(pod: PodView, direction: Direction): Policy[] {
    return (this.byNamespace.get(pod.namespace) ?? []).filter(
      (p) => p.types.includes(direction) && selectorMatches(p.podSelector, pod.labels),
    );
  }

  /** Whether a namespaceSelector picks this namespace (by its labels, `kubernetes.io/metadata.name` included). */
  namespaceMatches(selector: LabelSelector, namespace: string): boolean {
    return selectorMatches(selector, this.namespaceLabels.get(namespace) ?? {});
  }

  policiesIn(namespace: string): readonly Policy[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** Does `pod`'s side let the connection through: out to `other` (Egress) or in from it (Ingress)? */
  allows(pod: PodView, direction: Direction, other: Party, port: number, protocol: string): boolean {
    const policies = this.selecting(pod, direction);
    if (policies.length === 0) return true;
    const destination = direction === "Egress" ? ("pod" in other ? other.pod : undefined) : pod;
    return policies.some((policy) =>
      (direction === "Egress" ? policy.egress : policy.ingress).some(
        (rule) =>
          this.peersAdmit(direction === "Egress" ? rule.to : rule.from, policy.namespace, other) &&
          portsAdmit(rule.ports, port, protocol, destination),
      ),
    );
  }

  /** Both ends, for a pod-to-pod connection. */
  reachable(src: PodView, dst: PodView, port: number, protocol: string): boolean {
    return (
      this.allows(src, "Egress", { pod: dst }, port, protocol) &&
      this.allows(dst, "Ingress", { pod: src }, port, protocol)
    );
  }

  private peersAdmit(peers: readonly PolicyPeer[] | undefined, namespace: string, other: Party): boolean {
    if (!peers || peers.length === 0) return true;
    return peers.some((peer) => {
      if (peer.ipBlock && "cidr" in other) {
        const { cidr, except = [] } = peer.ipBlock;
        return (
          cidrWithin(other.cidr, cidr) &&
          !except.some((e) => cidrWithin(other.cidr, e) || cidrWithin(e, other.cidr))
        );
      }
      return "pod" in other && this.peerSelectsPod(peer, namespace, other.pod);
    });
  }

  /**
   * Whether a rule's peer names this pod: by namespaceSelector (any namespace whose labels match),
   * else in the policy's own namespace, and by podSelector; or by an ipBlock its address may fall in.
   */
  peerSelectsPod(peer: PolicyPeer, policyNamespace: string, pod: PodView): boolean {
    if (peer.ipBlock) return this.ipBlockMayMatch(peer.ipBlock, pod);
    const namespaceOk = peer.namespaceSelector
      ? this.namespaceMatches(peer.namespaceSelector, pod.namespace)
      : pod.namespace === policyNamespace;
    return namespaceOk && selectorMatches(peer.podSelector ?? {}, pod.labels);
  }

  /** Whether the pod's address may lie in this range (as an ipBlock without excepts would match it). */
  addressMayBeIn(cidr: string, pod: PodView): boolean {
    return this.ipBlockMayMatch({ cidr }, pod);
  }

  /**
   * An ipBlock names the pods whose address it covers (outside its excepts) on the CNIs that match
   * pod addresses. A pod of the estate has no address until it runs: it may take any address of the
   * pod network, so the block names it when any address of the pod network is left in the block.
   * On other CNIs an ipBlock over the pod network is "cannot prove".
   */
  private ipBlockMayMatch(block: { cidr: string; except?: string[] }, pod: PodView): boolean {
    const { plugin, podCidr } = this.network;
    const except = block.except ?? [];
    if (pod.address) {
      const host = `${pod.address}/32`;
      if (!cidrWithin(host, block.cidr) || except.some((e) => cidrWithin(host, e))) return false;
    } else if (!leftOver(block.cidr, except, podCidr)) return false;
    if (IPBLOCK_MATCHES_PODS.includes(plugin)) return true;
    this.unprovable.add(
      `ipBlock ${block.cidr} covers pod addresses (${podCidr}); how ${plugin} matches pods by ipBlock is not modelled`,
    );
    return true;
  }
}

/** Whether some address of `within` lies in `cidr` and outside every `except`. */
function leftOver(cidr: string, except: readonly string[], within: string): boolean {
  const [a0, a1] = addressBounds(cidr);
  const [w0, w1] = addressBounds(within);
  let from = Math.max(a0, w0);
  const to = Math.min(a1, w1);
  const holes = except.map(addressBounds).sort((x, y) => x[0] - y[0]);
  for (const [h0, h1] of holes) {
    if (h0 > from) break;
    from = Math.max(from, h1 + 1);
  }
  return from <= to;
}

function portsAdmit(
  ports: readonly PolicyPort[] | undefined,
  port: number,
  protocol: string,
  destination: PodView | undefined,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "string") {
      const named = destination?.ports.find((c) => c.name === p.port && c.protocol === protocol);
      return named?.port === port;
    }
    return p.endPort ? port >= p.port && port <= p.endPort : p.port === port;
  });
}
