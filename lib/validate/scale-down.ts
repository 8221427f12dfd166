import { type LabelSelector, selectorMatches } from "../admission/label-selector.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import type { PinnedComponent } from "../inventory/component.ts";
import type { Cluster } from "../inventory/model.ts";

type Spec = Record<string, any>;

/**
 * Controllers that run one replica on purpose: leader-elected controllers whose short absence while
 * the autoscaler moves them delays reconciliation, and serves no request. A platform component lists
 * its own (`singletons` in its descriptor); these are the ones operators install by themselves. By
 * namespace/name, each with its reason; anything else on an autoscaled cluster must survive a drain.
 */
const OPERATOR_SINGLETONS: Readonly<Record<string, string>> = {
  "cattle-system/rancher-webhook":
    "Rancher installs it with one replica and no value for more (rancher-webhook templates/deployment.yaml); while it moves, writes of Rancher's own resources wait",
  // The Flux Operator deploys each controller with one replica (flux2's distribution); what is
  // applied keeps running while one moves, and the next reconcile catches up.
  "flux-system/source-controller": "Flux: artifacts are fetched again at the next interval",
  "flux-system/kustomize-controller": "Flux: what is applied keeps running; the next reconcile catches up",
  "flux-system/helm-controller": "Flux: releases keep running; the next reconcile catches up",
  "flux-system/notification-controller":
    "Flux: events sent while it moves are lost, alerts are not (Prometheus)",
};

/**
 * On a cluster whose nodes the cluster-autoscaler removes, every Deployment and StatefulSet survives
 * the drain of any node without an outage and without blocking it: at least two replicas (a
 * HorizontalPodAutoscaler's minimum counts), and a PodDisruptionBudget over its pods that lets at
 * least one go (none, and a drain evicts every replica on the node at once; one that allows no
 * disruption, and the node is never removed). Singletons by design are listed with their reason.
 */
export function scaleDownProblems(
  cluster: Cluster,
  objects: readonly HydratedObject[],
  components: readonly PinnedComponent[],
): string[] {
  if (!cluster.autoscaling) return [];
  const problems: string[] = [];
  for (const { origin, manifest } of objects) {
    if (manifest.kind !== "Deployment" && manifest.kind !== "StatefulSet") continue;
    const namespace = manifest.metadata?.namespace ?? "default";
    const name = manifest.metadata?.name ?? "";
    if (singletonReason(components, namespace, name)) continue;
    const at = `${origin}: cluster "${cluster.name}": ${manifest.kind} ${namespace}/${name}`;
    const replicas = replicasOf(manifest, objects);
    if (replicas < 2) {
      problems.push(
        `${at}: scale-down: runs ${replicas} replica; when the autoscaler drains its node it is down until it starts elsewhere (run two, or list it as a singleton with its reason)`,
      );
      continue;
    }
    const labels = ((manifest.spec as Spec)?.template?.metadata?.labels ?? {}) as Record<string, string>;
    const budgets = objects.filter(
      (o) =>
        o.manifest.kind === "PodDisruptionBudget" &&
        (o.manifest.metadata?.namespace ?? "default") === namespace &&
        (o.manifest.spec as Spec)?.selector &&
        selectorMatches((o.manifest.spec as Spec).selector as LabelSelector, labels),
    );
    if (budgets.length === 0)
      problems.push(
        `${at}: scale-down: no PodDisruptionBudget covers its ${replicas} replicas; draining a node evicts every replica on it at once`,
      );
    for (const budget of budgets) {
      const allowed = allowedDisruptions(budget.manifest.spec as Spec, replicas);
      const name = budget.manifest.metadata?.name;
      if (allowed === undefined)
        problems.push(
          `${at}: scale-down: cannot prove how many replicas PodDisruptionBudget ${name} lets go`,
        );
      else if (allowed < 1)
        problems.push(
          `${at}: scale-down: PodDisruptionBudget ${name} lets none of its ${replicas} replicas go; the autoscaler can never remove a node it runs on`,
        );
    }
  }
  return problems;
}

function replicasOf(
  manifest: { kind: string; metadata?: Spec; spec?: unknown },
  objects: readonly HydratedObject[],
) {
  const spec = (manifest.spec ?? {}) as Spec;
  if (typeof spec.replicas === "number") return spec.replicas;
  const hpa = objects.find(
    (o) =>
      o.manifest.kind === "HorizontalPodAutoscaler" &&
      o.manifest.metadata?.namespace === manifest.metadata?.namespace &&
      (o.manifest.spec as Spec)?.scaleTargetRef?.kind === manifest.kind &&
      (o.manifest.spec as Spec)?.scaleTargetRef?.name === manifest.metadata?.name,
  );
  return ((hpa?.manifest.spec as Spec)?.minReplicas as number | undefined) ?? 1;
}

/**
 * How many pods the budget lets go at `replicas` healthy ones: percentages rounded up for both fields
 * (the Kubernetes documentation, "Specifying a Disruption Budget", rounding logic). A budget without
 * either field, or with a value that is neither an integer nor a percentage, is undefined: not judged.
 */
function allowedDisruptions(spec: Spec, replicas: number): number | undefined {
  const count = (value: unknown): number | undefined => {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    const percent = /^(\d+)%$/.exec(String(value))?.[1];
    return percent === undefined ? undefined : Math.ceil((Number(percent) * replicas) / 100);
  };
  if (spec.maxUnavailable !== undefined) return count(spec.maxUnavailable);
  if (spec.minAvailable !== undefined) {
    const available = count(spec.minAvailable);
    return available === undefined ? undefined : replicas - available;
  }
  return undefined;
}

/** Why this Deployment or StatefulSet runs one replica on purpose, if it does. */
function singletonReason(
  components: readonly PinnedComponent[],
  namespace: string,
  name: string,
): string | undefined {
  const own = components.find((c) => c.namespace === namespace && c.singletons?.[name]);
  return own?.singletons?.[name] ?? OPERATOR_SINGLETONS[`${namespace}/${name}`];
}
