import type { HydratedObject } from "../hydrate/index.ts";
import type { Connection, PortSpec } from "../inventory/connection.ts";
import { UNMANAGED_NAMESPACES } from "../namespaces/preexisting.ts";
import { PodIndex } from "./pod-index.ts";
import { peerMatches, podViews } from "./pods.ts";
import { ClusterPolicies, type PodNetwork, type PodView, type Policy } from "./policies.ts";
import { undeclaredAddressRules } from "./undeclared.ts";

/** One allowed connection of the rendered policies, with the declaration it serves. */
export interface AllowedFlow {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly connection: string;
}

export interface ClusterReachability {
  readonly cluster: string;
  readonly flows: readonly AllowedFlow[];
  readonly problems: readonly string[];
}

const podName = (p: PodView) => `${p.namespace}/${p.name}`;
const isManaged = (namespace: string) => !(UNMANAGED_NAMESPACES as readonly string[]).includes(namespace);

/**
 * Which pod may open which port on which pod (or address range), computed from the cluster's
 * rendered NetworkPolicies and its hydrated pods, checked against the declared connections: every
 * declaration must be allowed between every pair of pods it names, anything allowed must be
 * declared, and every namespace with pods (kube-system and flux-system aside) must deny by default.
 */
export function proveReachability(
  cluster: string,
  network: PodNetwork,
  objects: readonly HydratedObject[],
  connections: readonly Connection[],
): ClusterReachability {
  const policies = new ClusterPolicies(
    objects.map((o) => o.manifest),
    network,
  );
  for (const namespace of UNMANAGED_NAMESPACES) policies.addNamespace(namespace);
  const pods = podViews(objects);
  const index = new PodIndex(pods, connections);
  const flows = new Map<string, AllowedFlow>();
  const problems = [
    ...[...new Set(pods.map((p) => p.namespace))]
      .filter((namespace) => isManaged(namespace) && !policies.policiesIn(namespace).some(isDefaultDeny))
      .map((namespace) => `namespace ${namespace} has pods but no default-deny NetworkPolicy`),
    ...connections.flatMap((c) => declaredProblems(c, index, policies, flows)),
    ...undeclaredBetweenPods(index, policies),
    ...undeclaredAddressRules(
      policies,
      pods.filter((p) => isManaged(p.namespace)),
      connections,
    ).map((rule) => `undeclared: ${rule}`),
  ];
  problems.push(...[...policies.unprovable].map((what) => `cannot prove: ${what}`));
  return {
    cluster,
    flows: [...flows.values()].sort(
      (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.port.localeCompare(b.port),
    ),
    problems: [...new Set(problems)],
  };
}

/** A declaration must name pods at both ends and be allowed between every pair it names; allowed ones are recorded. */
function declaredProblems(
  c: Connection,
  index: PodIndex,
  policies: ClusterPolicies,
  flows: Map<string, AllowedFlow>,
): string[] {
  const problems: string[] = [];
  const sources = c.from.kind === "pods" ? index.matching(c.from) : [];
  const targets = c.to.kind === "pods" ? index.matching(c.to) : [];
  for (const [end, peer, matched] of [
    ["from", c.from, sources],
    ["to", c.to, targets],
  ] as const)
    if (peer.kind === "pods" && matched.length === 0)
      problems.push(
        `connection ${c.name}: no pod matches its ${end} end ${peer.label} ${JSON.stringify(peer.labels)}`,
      );
  for (const port of c.ports) {
    const check = (allowed: boolean, from: string, to: string) => {
      const flow = { from, to, port: `${port.port}/${port.protocol}`, connection: c.name };
      if (allowed) flows.set(`${from} ${to} ${flow.port}`, flow);
      else problems.push(`connection ${c.name} (${c.why}): blocked from ${from} to ${to} on ${flow.port}`);
    };
    if (c.from.kind === "cidr" && c.to.kind === "pods") {
      const { cidr } = c.from;
      for (const dst of targets)
        check(policies.allows(dst, "Ingress", { cidr }, port.port, port.protocol), cidr, podName(dst));
    } else if (c.from.kind === "pods" && c.to.kind === "cidr") {
      const { cidr } = c.to;
      for (const src of sources)
        check(policies.allows(src, "Egress", { cidr }, port.port, port.protocol), podName(src), cidr);
    } else {
      for (const src of sources)
        for (const dst of targets)
          check(policies.reachable(src, dst, port.port, port.protocol), podName(src), podName(dst));
    }
  }
  return problems;
}

/**
 * Anything allowed between pods must be declared: for each destination, only the pods its ingress
 * rules can admit are asked about, and only the connections declared into it.
 */
function undeclaredBetweenPods(index: PodIndex, policies: ClusterPolicies): string[] {
  const problems: string[] = [];
  for (const dst of index.pods) {
    const declared = index.connectionsInto(dst);
    const ports = candidatePorts(dst, declared);
    for (const src of index.possibleSources(policies, dst)) {
      if (!isManaged(src.namespace) && !isManaged(dst.namespace)) continue;
      for (const { port, protocol } of ports)
        if (
          policies.reachable(src, dst, port, protocol) &&
          !declares(policies, declared, src, port, protocol)
        )
          problems.push(`undeclared: ${podName(src)} may reach ${podName(dst)} on ${port}/${protocol}`);
    }
  }
  return problems;
}

function isDefaultDeny(policy: Policy): boolean {
  const selectsAll =
    Object.keys(policy.podSelector.matchLabels ?? {}).length === 0 &&
    !(policy.podSelector.matchExpressions ?? []).length;
  return (
    selectsAll &&
    policy.types.includes("Ingress") &&
    policy.types.includes("Egress") &&
    policy.ingress.length === 0 &&
    policy.egress.length === 0
  );
}

/** Ports worth asking about for a destination: what it listens on and what is declared into it. */
function candidatePorts(dst: PodView, declared: readonly Connection[]): PortSpec[] {
  const ports = new Map<string, PortSpec>();
  for (const p of dst.ports)
    ports.set(`${p.port}/${p.protocol}`, { port: p.port, protocol: p.protocol as PortSpec["protocol"] });
  for (const c of declared) for (const p of c.ports) ports.set(`${p.port}/${p.protocol}`, p);
  return [...ports.values()];
}

/**
 * A declared connection into the destination lets `src` in on this port: it names the pod, or it
 * names an address range the pod's address may lie in (a range over the pod network, as the CNI
 * matches ipBlocks against pods).
 */
function declares(
  policies: ClusterPolicies,
  declared: readonly Connection[],
  src: PodView,
  port: number,
  protocol: string,
): boolean {
  return declared.some(
    (c) =>
      (peerMatches(c.from, src) || (c.from.kind === "cidr" && policies.addressMayBeIn(c.from.cidr, src))) &&
      c.ports.some((p) => p.port === port && p.protocol === protocol),
  );
}
