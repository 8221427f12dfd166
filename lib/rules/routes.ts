import type { Problem } from "../errors.ts";
import type { Estate, Placement } from "../inventory/model.ts";

/**
 * A forwarded route (`publishVia`) must name a cloud cluster: only a public gateway forwards. It is
 * forwarded in the environments that cluster runs (prod), never across OTAP stages, and only with a
 * token: whoever calls it from the internet presents one of a client the route names.
 */
export function checkForwards(estate: Pick<Estate, "clusters">, placements: readonly Placement[]): Problem[] {
  const problems: Problem[] = [];
  for (const p of placements) {
    for (const [i, route] of p.workload.routes.entries()) {
      if (!route.publishVia) continue;
      const via = estate.clusters.find((c) => c.name === route.publishVia);
      const why = !via
        ? `cluster "${route.publishVia}" does not exist`
        : via.location !== "cloud"
          ? `"${via.name}" has no public gateway (it is not a cloud cluster)`
          : p.workload.dataLevel === "high"
            ? `data-level=high may not be published on ${via.name}'s public gateway: it never leaves the datacenter`
            : !route.jwt
              ? `${via.name}'s public gateway would forward the internet into ${p.cluster.name} with only a rate limit; name who may call (jwt.publicClients for people and their tools, jwt.callers for workloads)`
              : undefined;
      if (why) {
        problems.push({
          file: p.workload.source,
          cluster: p.cluster.name,
          workload: p.workload.name,
          field: `routes.${i}.publishVia`,
          rule: "route-forward",
          message: why,
        });
      }
    }
  }
  return problems;
}

/** Host labels the platform routes itself on a gateway (Keycloak, Loki, Tempo, the tunnel address). */
export const PLATFORM_HOSTS = ["sso", "loki", "tempo", "gateway", "postgis"] as const;

/**
 * One host and path per gateway: two routes with the same host and path make Kong pick one of them
 * silently. Checked per cluster over its own routes and those its public gateway forwards; platform
 * host labels are reserved.
 */
export function checkRouteCollisions(placements: readonly Placement[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const claim = (p: Placement, i: number, gateway: string, host: string, path: string) => {
    const key = `${gateway} ${host}${path}`;
    const owner = `${p.workload.name} (${p.stage})`;
    const other = seen.get(key);
    const problem = (message: string) =>
      problems.push({
        file: p.workload.source,
        cluster: gateway,
        workload: p.workload.name,
        field: `routes.${i}.host`,
        rule: "unique-routes",
        message,
      });
    if (other && other !== owner)
      problem(`${host}${path} on ${gateway}'s gateway is already routed to ${other}`);
    else seen.set(key, owner);
  };
  for (const p of placements)
    for (const [i, route] of p.workload.routes.entries()) {
      if ((PLATFORM_HOSTS as readonly string[]).includes(route.host))
        problems.push({
          file: p.workload.source,
          workload: p.workload.name,
          field: `routes.${i}.host`,
          rule: "unique-routes",
          message: `"${route.host}" is reserved for the platform (${PLATFORM_HOSTS.join(", ")})`,
        });
      const host = p.cluster.production ? route.host : `${route.host}.${p.stage}`;
      claim(p, i, p.cluster.name, host, route.path);
      if (route.publishVia && p.stage === "prod") claim(p, i, route.publishVia, route.host, route.path);
    }
  return problems;
}
