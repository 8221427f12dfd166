import type { NamespaceRow, PinnedComponent, PodSecurityLevel } from "../inventory/component.ts";
import type { Cluster } from "../inventory/model.ts";
import {
  DATA_NAMESPACE,
  dataNamespaceOf,
  FLUX_NAMESPACE,
  FORWARDS_NAMESPACE,
  KEYCLOAK_NAMESPACE,
  RANCHER_NAMESPACE,
  REGISTRATION_NAMESPACE,
} from "../platform.ts";
import { NAMESPACES_BEFORE_FLUX } from "./preexisting.ts";

/**
 * The namespace registry: every namespace the platform renders, what runs there and the Pod Security
 * level it enforces, with the reason wherever that is not `restricted`. A Helm component's namespace
 * is declared in its descriptor (`ownNamespace`, charts/components/); the namespaces the platform's
 * own charts render are in the table below. No workload group may be named into one of them
 * (`isReservedNamespace`), and a test checks the rendered Namespaces against the registry. The
 * namespaces a cluster has before Flux are in lib/namespaces/preexisting.ts.
 */
export interface PlatformNamespace extends NamespaceRow {
  readonly name: string;
}

/** Namespaces rendered by the platform's charts themselves, not by a Helm component. */
const CHART_NAMESPACES: readonly PlatformNamespace[] = [
  { name: FLUX_NAMESPACE, holds: "the Flux Operator and controllers", podSecurity: "restricted" },
  {
    name: DATA_NAMESPACE,
    holds: "PostGIS, the anonymised publisher, the portal database",
    podSecurity: "restricted",
  },
  { name: KEYCLOAK_NAMESPACE, holds: "Keycloak, its database and realm", podSecurity: "restricted" },
  {
    name: FORWARDS_NAMESPACE,
    holds: "the public gateway's forwards to on-prem gateways",
    podSecurity: "restricted",
  },
  {
    name: RANCHER_NAMESPACE,
    holds: "Rancher's server (management home) or its cluster agent (managed clusters)",
    podSecurity: "baseline",
    why: "Rancher's chart (templates/deployment.yaml) and its agent template (pkg/systemtemplate) set no securityContext and offer no value for one; the agent's start script writes CA files under /etc as root, and Rancher re-applies the agent on connecting and upgrading",
  },
  {
    name: REGISTRATION_NAMESPACE,
    holds: "the provisioning.cattle.io Clusters that register the managed clusters (no pods)",
    podSecurity: "restricted",
  },
];

/** Every platform namespace: the charts' own and those the components declare. */
export function platformNamespaces(components: readonly PinnedComponent[]): PlatformNamespace[] {
  return [
    ...CHART_NAMESPACES,
    ...components.flatMap((c) => (c.ownNamespace ? [{ name: c.namespace, ...c.ownNamespace }] : [])),
  ];
}

/** The Pod Security level of a namespace the platform's charts render; any other is a mistake. */
export function podSecurityOf(namespace: string): PodSecurityLevel {
  const entry = CHART_NAMESPACES.find((n) => n.name === namespace);
  if (!entry)
    throw new Error(`namespace "${namespace}" is not in CHART_NAMESPACES (lib/namespaces/registry.ts)`);
  return entry.podSecurity;
}

/** Namespaces no workload group may be named into: those before Flux and the platform's own. */
export function reservedNamespaces(components: readonly PinnedComponent[]): string[] {
  return [...new Set([...NAMESPACES_BEFORE_FLUX, ...platformNamespaces(components).map((n) => n.name)])];
}

/**
 * Whether a workload namespace would collide with one the platform renders on this cluster: one of
 * `reserved` (reservedNamespaces) or, on a non-prod cluster, a stage's data namespace.
 */
export function isReservedNamespace(
  cluster: Cluster,
  namespace: string,
  reserved: readonly string[],
): boolean {
  if (reserved.includes(namespace)) return true;
  return !cluster.production && cluster.stages.some((stage) => dataNamespaceOf(cluster, stage) === namespace);
}
