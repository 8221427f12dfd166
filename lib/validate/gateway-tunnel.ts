import { JWT_PLUGIN } from "../gateways/consumers.ts";
import { routeHost } from "../gateways/topology.ts";
import { TUNNEL_DENY_PLUGIN, TUNNEL_OPEN_PATHS, tunnelSources } from "../gateways/tunnel.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { cidrWithin } from "../network/cidr.ts";

type Spec = Record<string, any>;

/**
 * On a gateway that other clusters reach through the tunnel, every route answers them only with
 * authentication or not at all: a route carries the JWT plugin, or an ip-restriction that refuses
 * every tunnel source, or serves only paths its backend authenticates itself (`TUNNEL_OPEN_PATHS`:
 * Keycloak's realm endpoints, Rancher's agent endpoints). A route a public gateway forwards carries the
 * JWT plugin, always: through it the internet calls. A NetworkPolicy cannot see the Host header, so
 * this is the only place it is decided.
 */
export function gatewayTunnelProblems(
  cluster: Cluster,
  estate: Estate,
  objects: readonly HydratedObject[],
): string[] {
  const sources = tunnelSources(cluster, estate.clusters);
  if (sources.length === 0) return [];
  const forwarded = new Set(
    estate.placements
      .filter((p) => p.cluster === cluster)
      .flatMap((p) => p.workload.routes.filter((r) => r.publishVia).map((r) => routeHost(p, r))),
  );
  const denies = new Map(
    objects
      .filter((o) => o.manifest.kind === "KongPlugin" && (o.manifest as Spec).plugin === "ip-restriction")
      .map((o) => [
        `${o.manifest.metadata?.namespace}/${o.manifest.metadata?.name}`,
        ((o.manifest as Spec).config?.deny ?? []) as string[],
      ]),
  );
  const problems: string[] = [];
  for (const { origin, manifest } of objects) {
    if (
      manifest.kind !== "HTTPRoute" ||
      !((manifest.spec as Spec)?.parentRefs ?? []).some((p: Spec) => p.name === "internal")
    )
      continue;
    const namespace = manifest.metadata?.namespace;
    const plugins = String(manifest.metadata?.annotations?.["konghq.com/plugins"] ?? "")
      .split(",")
      .filter(Boolean);
    const hosts = ((manifest.spec as Spec).hostnames ?? []) as string[];
    const paths = ((manifest.spec as Spec).rules ?? []).flatMap((r: Spec) =>
      (r.matches?.length ? r.matches : [{}]).map(
        (m: Spec) => `${m.path?.type ?? "PathPrefix"} ${m.path?.value ?? "/"}`,
      ),
    ) as string[];
    if (plugins.includes(JWT_PLUGIN)) continue;
    if (hosts.some((h) => forwarded.has(h))) {
      problems.push(
        `${origin}: cluster "${cluster.name}": HTTPRoute ${namespace}/${manifest.metadata?.name}: ${hosts.join(", ")} is forwarded from a public gateway without authentication: the internet reaches it with only a rate limit; add ${JWT_PLUGIN}`,
      );
      continue;
    }
    const open = TUNNEL_OPEN_PATHS.find((o) => o.namespace === namespace);
    if (open && paths.every((p) => open.paths.some((m) => `${m.type} ${m.value}` === p))) continue;
    const deny = plugins.includes(TUNNEL_DENY_PLUGIN)
      ? denies.get(`${namespace}/${TUNNEL_DENY_PLUGIN}`)
      : undefined;
    const served = sources.filter((s) => !(deny ?? []).some((d) => cidrWithin(s, d)));
    if (served.length)
      problems.push(
        `${origin}: cluster "${cluster.name}": HTTPRoute ${namespace}/${manifest.metadata?.name}: serves ${hosts.join(", ")} to ${served.join(", ")} (other clusters, through the tunnel) without authentication; add JWT callers, or let ${TUNNEL_DENY_PLUGIN} refuse them`,
      );
  }
  return problems;
}
