import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster } from "../inventory/model.ts";
import { PIN_ANNOTATIONS } from "../network/addresses.ts";
import { addressesOverlap } from "../network/cidr.ts";

type Spec = Record<string, any>;

/** Whether an address lies in a pool entry (`a.b.c.d/n` or `a.b.c.d-a.b.c.e`). */
const inEntry = (ip: string, entry: string) => addressesOverlap(`${ip}/32`, entry);

/** The addresses a LoadBalancer Service asks for: the implementations' annotations, or loadBalancerIP. */
export function requestedAddresses(service: HydratedObject["manifest"]): string[] {
  const annotations = service.metadata?.annotations ?? {};
  const listed = PIN_ANNOTATIONS.flatMap((key) => (annotations[key] ?? "").split(",")).map((a) => a.trim());
  const legacy = (service.spec as Spec)?.loadBalancerIP as string | undefined;
  return [...new Set([...listed, ...(legacy ? [legacy] : [])].filter(Boolean))];
}

interface LoadBalancerService {
  readonly cluster: Cluster;
  readonly subject: string;
  readonly origin: string;
  readonly addresses: readonly string[];
  readonly ports: readonly number[];
}

/**
 * Every LoadBalancer Service of the hydrated estate gets an address from its cluster's contract (a
 * requested address must lie in a pool, or MetalLB leaves the Service pending), no address is asked
 * for twice, and every single address another cluster's endpoint targets inside a cluster's pools is
 * pinned on a Service of that cluster that serves the endpoint's port.
 */
export function loadBalancerProblems(
  clusters: readonly Cluster[],
  objectsOf: ReadonlyMap<string, readonly HydratedObject[]>,
): string[] {
  const services = clusters.flatMap((cluster) => servicesOf(cluster, objectsOf.get(cluster.name) ?? []));
  const problems: string[] = [];
  const taken = new Map<string, string>();
  for (const s of services) {
    const { implementation, pools } = s.cluster.platform.loadBalancer;
    const at = `${s.origin}: cluster "${s.cluster.name}": ${s.subject}`;
    if (implementation !== "azure" && pools.length === 0)
      problems.push(`${at}: ${implementation} has no address pool to give it`);
    for (const ip of s.addresses) {
      const key = `${s.cluster.name}/${ip}`;
      if (taken.has(key)) problems.push(`${at}: asks for ${ip}, which ${taken.get(key)} asks for too`);
      taken.set(key, s.subject);
      if (implementation !== "azure" && !pools.some((p) => p.addresses.some((e) => inEntry(ip, e))))
        problems.push(
          `${at}: asks for ${ip}, which is in no address pool of the platform contract (${implementation} leaves it pending)`,
        );
    }
  }
  for (const from of clusters)
    for (const [name, endpoint] of Object.entries(from.externalEndpoints))
      for (const target of clusters.filter((c) => c !== from))
        problems.push(...endpointProblems(from, name, endpoint, target, services));
  return problems;
}

function servicesOf(cluster: Cluster, objects: readonly HydratedObject[]): LoadBalancerService[] {
  return objects
    .filter((o) => o.manifest.kind === "Service" && (o.manifest.spec as Spec)?.type === "LoadBalancer")
    .map(({ manifest, origin }) => ({
      cluster,
      origin,
      subject: `Service ${manifest.metadata?.namespace}/${manifest.metadata?.name}`,
      addresses: requestedAddresses(manifest),
      ports: (((manifest.spec as Spec).ports ?? []) as Spec[]).map((p) => Number(p.port)),
    }));
}

function endpointProblems(
  from: Cluster,
  name: string,
  endpoint: Cluster["externalEndpoints"][string],
  target: Cluster,
  services: readonly LoadBalancerService[],
): string[] {
  const entries = target.platform.loadBalancer.pools.flatMap((p) => p.addresses);
  const [base = "", bits = "32"] = endpoint.cidr.split("/");
  const inPools = entries.some((e) => addressesOverlap(endpoint.cidr, e));
  const named = endpoint.gatewayOf === target.name;
  if (!inPools && !(named && target.platform.loadBalancer.implementation !== "azure")) return [];
  const at = `${from.source}: cluster "${from.name}": externalEndpoints.${name} (${endpoint.cidr}:${endpoint.port})`;
  if (bits !== "32")
    return [`${at}: cannot prove which Service of ${target.name} serves it: name one address (/32)`];
  if (!inPools)
    return [`${at}: ${target.name}'s gateway address ${base} is in no address pool of its platform contract`];
  const serving = services.filter((s) => s.cluster === target && s.addresses.includes(base));
  if (serving.some((s) => s.ports.includes(endpoint.port))) return [];
  return [
    `${at}: targets ${base} in ${target.name}'s address pools, but no LoadBalancer Service of ${target.name} is pinned to it with port ${endpoint.port}${serving.length ? ` (${serving.map((s) => s.subject).join(", ")} has other ports)` : ""}`,
  ];
}
