import { selectorMatches } from "../admission/label-selector.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import { podOf } from "../hydrate/pods.ts";
import { CLUSTER_DNS, type Peer } from "../inventory/connection.ts";
import type { PodView } from "./policies.ts";

/**
 * The pods of one cluster of the hydrated estate, named after what makes them (a Deployment, a Job,
 * an operator's custom resource), plus the cluster DNS that RKE2 runs and no object of ours describes.
 */
export function podViews(objects: readonly HydratedObject[]): PodView[] {
  const views: PodView[] = [
    {
      namespace: CLUSTER_DNS.namespace,
      name: "kube-dns",
      labels: CLUSTER_DNS.labels,
      ports: CLUSTER_DNS.ports.map((p) => ({ name: "dns", ...p })),
    },
  ];
  for (const { origin, manifest } of objects) {
    const pod = podOf(manifest);
    if (!pod) continue;
    const spec = (pod.spec ?? {}) as Record<string, any>;
    if (spec.hostNetwork) continue; // host-network pods are not subject to NetworkPolicies
    const fromOperator = origin.startsWith("operator ") ? origin.split("/").pop() : undefined;
    views.push({
      namespace: pod.metadata?.namespace as string,
      name: fromOperator ?? (manifest.metadata?.name as string),
      labels: pod.metadata?.labels ?? {},
      ports: ((spec.containers ?? []) as Record<string, any>[]).flatMap((c) =>
        ((c.ports ?? []) as Record<string, any>[]).map((p) => ({
          name: p.name,
          port: Number(p.containerPort),
          protocol: p.protocol ?? "TCP",
        })),
      ),
    });
  }
  return views;
}

/** Whether a declared end names this pod: same namespace, all of its labels. */
export function peerMatches(peer: Peer, pod: PodView): boolean {
  return (
    peer.kind === "pods" &&
    peer.namespace === pod.namespace &&
    selectorMatches({ matchLabels: { ...peer.labels } }, pod.labels)
  );
}
