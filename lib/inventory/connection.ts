import type { Cluster } from "./model.ts";
/**
 * A connection the architecture needs: who opens it, to whom, on which ports, and why. Declared once
 * (lib/connections/), rendered as NetworkPolicies on both ends (charts/network.ts), and proven on the
 * hydrated estate (lib/reachability/).
 */
export interface Connection {
  /** Unique per cluster and a DNS label: the NetworkPolicies of both ends are named after it. */
  readonly name: string;
  readonly from: Peer;
  readonly to: Peer;
  readonly ports: readonly PortSpec[];
  /** The arrow of the architecture (seed) or the platform need this connection serves. */
  readonly why: string;
}

/** Pods of one namespace selected by labels; `{}` is every pod of the namespace. */
export interface PodsPeer {
  readonly kind: "pods";
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Short name for tables and messages, e.g. `ai/vllm`. */
  readonly label: string;
}

/** Something outside the cluster's pod network: the API server, a registry, another cluster, the internet. */
export interface CidrPeer {
  readonly kind: "cidr";
  readonly cidr: string;
  readonly label: string;
}

export type Peer = PodsPeer | CidrPeer;

export interface PortSpec {
  readonly port: number;
  readonly protocol: "TCP" | "UDP";
}

export const tcp = (...ports: number[]): PortSpec[] => ports.map((port) => ({ port, protocol: "TCP" }));

export function pods(namespace: string, labels: Record<string, string>, name?: string): PodsPeer {
  return {
    kind: "pods",
    namespace,
    labels,
    label: `${namespace}/${name ?? Object.values(labels)[0] ?? "*"}`,
  };
}

export function cidr(cidr: string, label: string): CidrPeer {
  return { kind: "cidr", cidr, label };
}

/** A metrics endpoint of a component's pods, which the agent on each pod's node scrapes. */
export interface MetricsEndpoint {
  readonly job: string;
  readonly pods: PodsPeer;
  readonly port: number;
  readonly path: string;
}

export function scrape(job: string, peer: PodsPeer, port: number, path = "/metrics"): MetricsEndpoint {
  return { job, pods: peer, port, path };
}

/** `kubernetes.io/metadata.name`, which the API server sets on every namespace. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** The cluster DNS as RKE2 runs it; no hydrated object describes it, so the proof adds it. */
export const CLUSTER_DNS = {
  namespace: "kube-system",
  labels: { "k8s-app": "kube-dns" },
  ports: [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
  ] as PortSpec[],
} as const;

/** The port the API server listens on at the control-plane nodes (RKE2), which in-cluster clients reach after DNAT. */
export const API_SERVER_PORT = 6443;

/**
 * A connection out to another cluster's gateway, through the cluster's external endpoint that is
 * `gatewayOf` it (the tunnel); none where the cluster declares no such endpoint.
 */
export function toGatewayOf(
  cluster: Cluster,
  target: Cluster | undefined,
  connection: { name: string; from: Peer; why: string },
): Connection[] {
  const endpoint = Object.entries(cluster.externalEndpoints).find(
    ([, e]) => target && e.gatewayOf === target.name,
  );
  if (!endpoint) return [];
  const [name, { cidr: range, port }] = endpoint;
  return [{ ...connection, to: cidr(range, name), ports: tcp(port) }];
}
