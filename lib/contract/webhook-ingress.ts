import { selectorMatches } from "../admission/label-selector.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster } from "../inventory/model.ts";
import { apiServerSources } from "../network/api-server-sources.ts";
import { podViews } from "../reachability/pods.ts";
import { ClusterPolicies, type PodView } from "../reachability/policies.ts";

type Spec = Record<string, any>;

/**
 * Every admission webhook of the hydrated estate (chart-rendered, and Kyverno's own) is reachable by
 * the API server as the cluster's CNI presents it: every pod behind the webhook's Service admits, on
 * the target port, every address the API server's calls can arrive from (lib/contract/api-server-
 * sources.ts). A CNI whose API-server traffic no NetworkPolicy can name is "cannot prove".
 */
export function webhookIngressProblems(cluster: Cluster, objects: readonly HydratedObject[]): string[] {
  const webhooks = objects.filter((o) => /^(Validating|Mutating)WebhookConfiguration$/.test(o.manifest.kind));
  if (webhooks.length === 0) return [];
  const sources = apiServerSources(cluster);
  const at = (o: HydratedObject) =>
    `${o.origin}: cluster "${cluster.name}": ${o.manifest.kind} ${o.manifest.metadata?.name}`;
  if ("cannotProve" in sources)
    return webhooks.map((o) => `${at(o)}: cannot prove the API server reaches it: ${sources.cannotProve}`);
  const policies = new ClusterPolicies(
    objects.map((o) => o.manifest),
    cluster.platform.cni,
  );
  const pods = podViews(objects);
  const problems = new Set<string>();
  for (const o of webhooks)
    for (const hook of ((o.manifest as Spec).webhooks ?? []) as Spec[]) {
      const ref = hook.clientConfig?.service as Spec | undefined;
      if (!ref) continue; // a URL webhook leaves the cluster network: not ours to judge
      const service = objects.find(
        (s) =>
          s.manifest.kind === "Service" &&
          s.manifest.metadata?.name === ref.name &&
          s.manifest.metadata?.namespace === ref.namespace,
      )?.manifest;
      if (!service) {
        problems.add(
          `${at(o)}: webhook ${hook.name} calls Service ${ref.namespace}/${ref.name}, which does not exist`,
        );
        continue;
      }
      const port = ((service.spec as Spec).ports ?? []).find(
        (p: Spec) => Number(p.port) === Number(ref.port ?? 443),
      );
      const behind = pods.filter(
        (p) =>
          p.namespace === ref.namespace &&
          selectorMatches({ matchLabels: (service.spec as Spec).selector ?? {} }, p.labels),
      );
      if (!port || behind.length === 0) {
        problems.add(
          `${at(o)}: webhook ${hook.name}: Service ${ref.namespace}/${ref.name} has no port ${ref.port ?? 443} or no pods`,
        );
        continue;
      }
      for (const pod of behind) {
        const target = targetPort(port, pod);
        const refused = sources.presented.find(
          (cidr) => !policies.allows(pod, "Ingress", { cidr }, target, "TCP"),
        );
        if (refused)
          problems.add(
            `${at(o)}: the API server cannot reach webhook ${hook.name}: pod ${pod.namespace}/${pod.name} does not admit ${refused} on port ${target} (on ${cluster.platform.cni.plugin} the call arrives from the node's tunnel or bridge address in ${cluster.platform.cni.podCidr})`,
          );
      }
    }
  return [...problems];
}

function targetPort(port: Spec, pod: PodView): number {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  return pod.ports.find((p) => p.name === target)?.port ?? Number(port.port);
}
