import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster } from "../inventory/model.ts";
import { distributionProblems } from "./distribution.ts";
import { dnsNameProblems } from "./dns-names.ts";
import { gpuDriverProblems } from "./gpu-driver.ts";
import { loadBalancerProblems } from "./load-balancers.ts";
import { logReaderProblems } from "./node-logs.ts";
import { storageProblems } from "./storage.ts";
import { webhookIngressProblems } from "./webhook-ingress.ts";

/**
 * Every consumer of what the clusters provide, checked against their platform contracts on the
 * hydrated estate: the GPU driver, load-balancer addresses, StorageClasses, cluster DNS names.
 */
export function checkPlatformContracts(
  clusters: readonly Cluster[],
  objectsOf: ReadonlyMap<string, readonly HydratedObject[]>,
): string[] {
  const problems = loadBalancerProblems(clusters, objectsOf);
  for (const cluster of clusters) {
    const objects = objectsOf.get(cluster.name) ?? [];
    if (cluster.gpuNodes || cluster.platform.gpu)
      for (const problem of gpuDriverProblems(cluster, objects))
        problems.push(`cluster "${cluster.name}": GPU driver: ${problem}`);
    problems.push(
      ...distributionProblems(cluster),
      ...storageProblems(cluster, objects),
      ...dnsNameProblems(cluster, objects),
      ...logReaderProblems(cluster, objects),
      ...webhookIngressProblems(cluster, objects),
    );
  }
  return problems;
}
