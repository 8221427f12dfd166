import type { Manifest } from "../lib/k8s/model-object.ts";

/**
 * A small evaluator of Kubernetes NetworkPolicy semantics, for tests: which pods a policy selects,
 * whether a pod is isolated for ingress or egress, and whether a peer rule admits a given pod and port.
 * It reads only what the rendered tree says (pod labels, namespace labels, selectors).
 */
export interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

type Selector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};
type Peer = { namespaceSelector?: Selector; podSelector?: Selector; ipBlock?: unknown };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: { port?: number; protocol?: string }[] };
type PolicySpec = { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };

export function matches(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === "In") return key in labels && values.includes(labels[key] as string);
    if (operator === "NotIn") return !(key in labels) || !values.includes(labels[key] as string);
    if (operator === "Exists") return key in labels;
    if (operator === "DoesNotExist") return !(key in labels);
    throw new Error(`unknown operator ${operator}`);
  });
  return byLabel && byExpression;
}

export class NetworkModel {
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly policies: { namespace: string; name: string; spec: PolicySpec }[] = [];

  constructor(manifests: readonly Manifest[]) {
    for (const m of manifests) {
      if (m.kind === "Namespace") this.addNamespace(m.metadata?.name as string, m.metadata?.labels ?? {});
      if (m.kind === "NetworkPolicy") {
        this.policies.push({
          namespace: m.metadata?.namespace as string,
          name: m.metadata?.name as string,
          spec: m.spec as PolicySpec,
        });
      }
    }
  }

  addNamespace(name: string, labels: Record<string, string> = {}): void {
    this.namespaceLabels.set(name, { ...labels, "kubernetes.io/metadata.name": name });
  }

  private selecting(pod: Pod, type: "Ingress" | "Egress") {
    return this.policies.filter(
      (p) =>
        p.namespace === pod.namespace &&
        matches(p.spec.podSelector, pod.labels) &&
        (p.spec.policyTypes ?? (type === "Ingress" ? ["Ingress"] : [])).includes(type),
    );
  }

  private peerAdmits(peer: Peer, policyNamespace: string, other: Pod): boolean {
    if (peer.ipBlock) return false;
    const namespaceOk = peer.namespaceSelector
      ? matches(peer.namespaceSelector, this.namespaceLabels.get(other.namespace) ?? {})
      : other.namespace === policyNamespace;
    return namespaceOk && matches(peer.podSelector, other.labels);
  }

  private allows(pod: Pod, type: "Ingress" | "Egress", other: Pod, port: number): boolean {
    const policies = this.selecting(pod, type);
    if (policies.length === 0) return true; // not isolated
    return policies.some((p) =>
      (type === "Ingress" ? p.spec.ingress : p.spec.egress)?.some((rule) => {
        const peers = type === "Ingress" ? rule.from : rule.to;
        const peerOk =
          !peers || peers.length === 0 || peers.some((peer) => this.peerAdmits(peer, p.namespace, other));
        const portOk =
          !rule.ports ||
          rule.ports.length === 0 ||
          rule.ports.some((p) => p.port === undefined || p.port === port);
        return peerOk && portOk;
      }),
    );
  }

  /** Does `dst`'s own namespace let `src` in on `port`? */
  ingressAllows(dst: Pod, src: Pod, port: number): boolean {
    return this.allows(dst, "Ingress", src, port);
  }

  /** Does `src`'s own namespace let it out to `dst` on `port`? */
  egressAllows(src: Pod, dst: Pod, port: number): boolean {
    return this.allows(src, "Egress", dst, port);
  }

  reachable(src: Pod, dst: Pod, port: number): boolean {
    return this.egressAllows(src, dst, port) && this.ingressAllows(dst, src, port);
  }
}
