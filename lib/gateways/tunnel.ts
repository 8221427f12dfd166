import type { Construct } from "constructs";
import {
  HttpRoute,
  type HttpRouteSpecRulesMatchesPathType,
} from "../../imports/gateway-api-httproute-gateway.networking.k8s.io.ts";
import { KongPlugin } from "../../imports/kong-plugin-configuration.konghq.com.ts";
import type { Cluster, Estate, Placement, Route } from "../inventory/model.ts";
import { KONG_CLASS } from "./consumers.ts";
import { gatewayOf } from "./topology.ts";

/** A path match of an HTTPRoute, as Gateway API writes it. */
export interface PathMatch {
  readonly type: "Exact" | "PathPrefix";
  readonly value: string;
}

/**
 * Routes that other clusters may call through the tunnel without the gateway's JWT, because the
 * backend authenticates every request itself or serves only public facts; each with why.
 */
export const TUNNEL_OPEN_PATHS: readonly { namespace: string; paths: readonly PathMatch[]; why: string }[] = [
  {
    namespace: "identity",
    paths: [{ type: "PathPrefix", value: "/realms/" }],
    why: "Keycloak's realm endpoints: discovery and keys are public, tokens need the client's credentials",
  },
  {
    namespace: "cattle-system",
    paths: [
      { type: "Exact", value: "/" },
      { type: "Exact", value: "/ping" },
      { type: "Exact", value: "/v3/settings/cacerts" },
      { type: "PathPrefix", value: "/v3/connect" },
    ],
    why: "what Rancher's agent calls (package/run.sh, cmd/agent): a health check, the public CA, and the tunnel, which Rancher opens only for the cluster's registration token",
  },
];

/** The plugin on every internal route that only the datacenter's own users may call. */
export const TUNNEL_DENY_PLUGIN = "tunnel-deny";

/**
 * The other clusters' node ranges that reach this cluster's gateway through the tunnel (those with an
 * endpoint `gatewayOf` it). A NetworkPolicy cannot see the Host header: once admitted, they could ask
 * the gateway for any route, so every route not meant for them refuses their addresses.
 */
export function tunnelSources(cluster: Cluster, clusters: readonly Cluster[]): string[] {
  return clusters
    .filter((other) => Object.values(other.externalEndpoints).some((e) => e.gatewayOf === cluster.name))
    .map((other) => other.network.nodes)
    .sort();
}

/**
 * Whether callers on other clusters may use a workload route: a JWT route naming a caller placed on
 * another cluster (the token decides), or a route a public gateway forwards through the tunnel.
 */
export function routeServesTunnel(
  placement: Placement,
  route: Route,
  estate: Pick<Estate, "placements">,
): boolean {
  if (route.publishVia) return true;
  const callers = route.jwt?.callers ?? [];
  return estate.placements.some((p) => callers.includes(p.workload.name) && p.cluster !== placement.cluster);
}

/** Kong's ip-restriction, refusing the tunnel's sources (Kong sees them: the proxy keeps client addresses). */
export function tunnelDenyPlugin(scope: Construct, namespace: string, sources: readonly string[]): void {
  new KongPlugin(scope, `${namespace}-tunnel-deny`, {
    metadata: { name: TUNNEL_DENY_PLUGIN, namespace, annotations: KONG_CLASS },
    plugin: "ip-restriction",
    config: { deny: [...sources], status: 403, message: "not served through the tunnel" },
  });
}

/**
 * A host on the cluster's internal gateway for the datacenter's own users. Where other clusters reach
 * the gateway through the tunnel, the namespace's tunnel-deny refuses them on this route, and a second
 * route (`openName`) serves them only the namespace's TUNNEL_OPEN_PATHS, if it has any.
 */
export function datacenterRoute(
  scope: Construct,
  cluster: Cluster,
  tunnel: readonly string[],
  route: {
    name: string;
    namespace: string;
    host: string;
    backend: { name: string; port: number };
    openName?: string;
  },
): void {
  const gateway = gatewayOf(cluster);
  const spec = {
    parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
    hostnames: [route.host],
  };
  const backendRefs = [route.backend];
  if (tunnel.length) tunnelDenyPlugin(scope, route.namespace, tunnel);
  new HttpRoute(scope, `route-${route.name}`, {
    metadata: {
      name: route.name,
      namespace: route.namespace,
      ...(tunnel.length ? { annotations: { "konghq.com/plugins": TUNNEL_DENY_PLUGIN } } : {}),
    },
    spec: { ...spec, rules: [{ backendRefs }] },
  });
  const open = TUNNEL_OPEN_PATHS.find((o) => o.namespace === route.namespace)?.paths ?? [];
  if (!tunnel.length || !open.length) return;
  const name = route.openName ?? `${route.name}-tunnel`;
  new HttpRoute(scope, `route-${name}`, {
    metadata: { name, namespace: route.namespace },
    spec: {
      ...spec,
      rules: [
        {
          matches: open.map((p) => ({
            path: { type: p.type as HttpRouteSpecRulesMatchesPathType, value: p.value },
          })),
          backendRefs,
        },
      ],
    },
  });
}
