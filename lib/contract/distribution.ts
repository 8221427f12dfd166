import { KUBE_VERSION } from "../helm/render.ts";
import type { Cluster } from "../inventory/model.ts";

/**
 * The charts are rendered for one Kubernetes version (what helm-controller reports to them,
 * KUBE_VERSION): a cluster whose distribution runs another cannot have its renders trusted, since
 * charts choose APIs and defaults by `.Capabilities.KubeVersion`.
 */
export function distributionProblems(cluster: Cluster): string[] {
  const kubernetes = cluster.platform.distribution.version.replace(/^v/, "").split("+")[0];
  if (kubernetes === KUBE_VERSION) return [];
  return [
    `${cluster.source}: cluster "${cluster.name}": platform.distribution.version ${cluster.platform.distribution.version} runs Kubernetes ${kubernetes}, but the charts are rendered for ${KUBE_VERSION} (lib/helm/render.ts): cannot prove its chart renders`,
  ];
}
