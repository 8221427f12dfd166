import type { Cluster, Placement, Route } from "../inventory/model.ts";
import { KONG_NAMESPACE } from "../platform.ts";

/** Each cluster runs one Kong gateway: `public` on cloud clusters (internet), `internal` on-prem. */
export function gatewayOf(cluster: Cluster): {
  name: "public" | "internal";
  namespace: string;
  public: boolean;
} {
  const isPublic = cluster.location === "cloud";
  return { name: isPublic ? "public" : "internal", namespace: KONG_NAMESPACE, public: isPublic };
}

/** Gateway pods per cluster: two in production for availability. */
export function gatewayReplicas(cluster: Cluster): number {
  return cluster.production ? 2 : 1;
}

/** The address other clusters reach this cluster's gateway on, through the tunnel. */
export function gatewayAddress(cluster: Cluster): string {
  return `gateway.${cluster.dns.domain}`;
}

/** `<host>.<domain>` on prod clusters, `<host>.<stage>.<domain>` on non-prod ones. */
export function routeHost(placement: Placement, route: Route): string {
  const { cluster, stage } = placement;
  return cluster.production
    ? `${route.host}.${cluster.dns.domain}`
    : `${route.host}.${stage}.${cluster.dns.domain}`;
}
