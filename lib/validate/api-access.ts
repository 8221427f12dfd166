import type { HydratedObject } from "../hydrate/index.ts";
import { podOf } from "../hydrate/pods.ts";
import type { Connection } from "../inventory/connection.ts";
import type { Cluster } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { UNMANAGED_NAMESPACES } from "../namespaces/preexisting.ts";
import { peerMatches } from "../reachability/pods.ts";

type Subject = { kind?: string; name?: string; namespace?: string };

/**
 * A pod whose ServiceAccount is granted anything by a RoleBinding or ClusterRoleBinding calls the API
 * server (RBAC is granted for nothing else), so a connection from it to the API server must be
 * declared: without one, default deny drops its calls and it never works, which no other check
 * would see (a controller's sidecar that watches ConfigMaps, a bootstrap Job's instance manager).
 * Pods in namespaces whose NetworkPolicies the estate does not render, and host-network pods, are not
 * judged.
 */
export function apiAccessProblems(
  cluster: Cluster,
  objects: readonly HydratedObject[],
  connections: readonly Connection[],
): string[] {
  const granted = grantedServiceAccounts(objects);
  const toApiServer = connections.filter(
    (c) => c.to.kind === "cidr" && c.to.cidr === cluster.network.controlPlane,
  );
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { origin, manifest } of objects) {
    const pod = podOf(manifest);
    const namespace = pod?.metadata?.namespace as string | undefined;
    const spec = (pod?.spec ?? {}) as { serviceAccountName?: string; hostNetwork?: boolean };
    if (!pod || !namespace || spec.hostNetwork || UNMANAGED_NAMESPACES.includes(namespace)) continue;
    const account = `${namespace}/${spec.serviceAccountName ?? "default"}`;
    if (!granted.has(account)) continue;
    const view = {
      namespace,
      name: String(pod.metadata?.name),
      labels: pod.metadata?.labels ?? {},
      ports: [],
    };
    if (toApiServer.some((c) => peerMatches(c.from, view))) continue;
    const subject = `${manifest.kind} ${namespace}/${manifest.metadata?.name}`;
    if (seen.has(subject)) continue;
    seen.add(subject);
    problems.push(
      `${origin}: cluster "${cluster.name}": ${subject}: api-access: its ServiceAccount ${account} is granted API rights (${granted.get(account)}), but no connection to the API server is declared for its pods; default deny would drop its calls`,
    );
  }
  return problems;
}

/**
 * Every ServiceAccount a binding grants a role with rules to, with the first binding that does. A role
 * the estate does not hold (cluster-admin, view, the API server's own) is taken to grant something.
 */
function grantedServiceAccounts(objects: readonly HydratedObject[]): Map<string, string> {
  const empty = new Set(
    objects
      .filter(({ manifest }) => manifest.kind === "Role" || manifest.kind === "ClusterRole")
      .filter(({ manifest }) => ((manifest as Manifest & { rules?: unknown[] }).rules ?? []).length === 0)
      .map(({ manifest }) => roleKey(manifest.kind, manifest.metadata?.name, manifest.metadata?.namespace)),
  );
  const granted = new Map<string, string>();
  for (const { manifest } of objects) {
    if (manifest.kind !== "RoleBinding" && manifest.kind !== "ClusterRoleBinding") continue;
    const ref = (manifest as Manifest & { roleRef?: { kind?: string; name?: string } }).roleRef;
    const scope = ref?.kind === "Role" ? manifest.metadata?.namespace : undefined;
    if (empty.has(roleKey(ref?.kind, ref?.name, scope))) continue;
    for (const subject of ((manifest as Manifest & { subjects?: Subject[] }).subjects ?? []) as Subject[]) {
      if (subject.kind !== "ServiceAccount" || !subject.name) continue;
      const namespace = subject.namespace ?? manifest.metadata?.namespace;
      const account = `${namespace}/${subject.name}`;
      if (!granted.has(account)) granted.set(account, `${manifest.kind} ${manifest.metadata?.name}`);
    }
  }
  return granted;
}

const roleKey = (kind: string | undefined, name: string | undefined, namespace: string | undefined) =>
  kind === "Role" ? `Role ${namespace}/${name}` : `ClusterRole ${name}`;
