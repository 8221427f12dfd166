import { EstateError } from "../errors.ts";
import { runsOn } from "../inventory/component.ts";
import { CLUSTER_DNS, type Connection, pods } from "../inventory/connection.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { UNMANAGED_NAMESPACES } from "../namespaces/preexisting.ts";
import { managementConnections } from "./management.ts";
import { metricsConnections } from "./metrics.ts";
import { serviceConnections } from "./services.ts";
import { workloadConnections } from "./workloads.ts";

export type { Connection, Peer, PodsPeer } from "../inventory/connection.ts";

/**
 * Every connection a cluster needs, declared once: the platform components' (their descriptors,
 * charts/components/), the estate-wide services' and the catalogue's, plus DNS for every namespace that has any of them. charts/network.ts
 * renders each on both ends; lib/reachability/ proves the rendered policies allow exactly these.
 */
export function connectionsOf(cluster: Cluster, estate: Estate): Connection[] {
  const declared = [
    ...estate.components
      .filter((component) => runsOn(component, cluster, estate))
      .flatMap((component) => component.connections?.(cluster, estate) ?? []),
    ...managementConnections(cluster, estate),
    ...metricsConnections(cluster, estate),
    ...serviceConnections(cluster, estate),
    ...workloadConnections(cluster, estate),
  ];
  const dns = [...managedNamespaces(declared)].map(
    (namespace): Connection => ({
      name: `${namespace}-to-dns`,
      from: pods(namespace, {}, "*"),
      to: pods(CLUSTER_DNS.namespace, CLUSTER_DNS.labels, "kube-dns"),
      ports: CLUSTER_DNS.ports,
      why: "name resolution (cluster DNS)",
    }),
  );
  const all = [...declared, ...dns];
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.name))
      throw new EstateError([
        {
          file: cluster.source,
          cluster: cluster.name,
          rule: "connections",
          message: `connection "${c.name}" is declared twice`,
        },
      ]);
    seen.add(c.name);
  }
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Namespaces that hold an end of a connection and get the estate's policies: not the cluster's own
 * (DNS, control plane) nor flux-system, whose NetworkPolicies Flux renders itself
 * (UNMANAGED_NAMESPACES). A connection into one of those is rendered at the caller's end only.
 */
export function managedNamespaces(connections: readonly Connection[]): Set<string> {
  const namespaces = new Set<string>();
  for (const c of connections)
    for (const peer of [c.from, c.to])
      if (peer.kind === "pods" && !UNMANAGED_NAMESPACES.includes(peer.namespace))
        namespaces.add(peer.namespace);
  return namespaces;
}
