import type { Cluster, Estate } from "../inventory/model.ts";

/** How each load-balancer implementation is asked for one address on a Service. */
const PIN_ANNOTATION: Record<string, string | undefined> = {
  metallb: "metallb.io/loadBalancerIPs",
  "kube-vip": "kube-vip.io/loadbalancerIPs",
  azure: undefined,
};

/** Every annotation by which an implementation reads a requested address (old MetalLB names included). */
export const PIN_ANNOTATIONS = [
  "metallb.io/loadBalancerIPs",
  "metallb.universe.tf/loadBalancerIPs",
  "kube-vip.io/loadbalancerIPs",
];

/** The annotations that pin a LoadBalancer Service of `cluster` to `address`, when there is one. */
export function pinnedTo(cluster: Cluster, address: string | undefined): Record<string, string> {
  const key = PIN_ANNOTATION[cluster.platform.loadBalancer.implementation];
  return key && address ? { [key]: address } : {};
}

/** The one address other clusters reach `target` on through an endpoint, if their endpoints name one. */
export function targetedAddress(
  estate: Pick<Estate, "clusters">,
  pick: (c: Cluster) => string | undefined,
): string | undefined {
  const addresses = new Set(
    estate.clusters
      .map(pick)
      .filter((cidr): cidr is string => !!cidr?.endsWith("/32"))
      .map((cidr) => cidr.slice(0, -3)),
  );
  return addresses.size === 1 ? [...addresses][0] : undefined;
}

/** The address other clusters' tunnels reach `cluster`'s gateway on (their `gatewayOf` endpoints). */
export function gatewayVip(estate: Pick<Estate, "clusters">, cluster: Cluster): string | undefined {
  return targetedAddress(
    estate,
    (c) => Object.values(c.externalEndpoints).find((e) => e.gatewayOf === cluster.name)?.cidr,
  );
}
