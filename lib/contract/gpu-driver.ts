import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster } from "../inventory/model.ts";

type Spec = Record<string, any>;

/**
 * The GPU operator's driver follows the contract's driver mode. `host`: the operator installs none.
 * `precompiled`: NVIDIA's image for the nodes' kernel, nothing downloaded at start. `package-repository`:
 * built at start from the repository files in a ConfigMap beside the operator. Anything else builds the
 * driver from the distribution's public package mirrors, which an on-prem cluster cannot reach.
 */
export function gpuDriverProblems(cluster: Cluster, objects: readonly HydratedObject[]): string[] {
  const policies = objects.filter(
    (o) => o.manifest.kind === "ClusterPolicy" && o.manifest.apiVersion.startsWith("nvidia.com/"),
  );
  const contract = cluster.platform.gpu;
  if (!contract)
    return policies.map((p) => `${p.origin}: a GPU operator ClusterPolicy on a cluster without GPU nodes`);
  if (policies.length === 0)
    return [`the contract's GPU driver mode "${contract.driver}" has no GPU operator ClusterPolicy`];
  return policies.flatMap(({ origin, manifest }) => {
    const driver = ((manifest.spec as Spec)?.driver ?? {}) as Spec;
    const enabled = driver.enabled ?? true;
    const repoConfig = driver.repoConfig?.configMapName || undefined;
    const at = (message: string) => `${origin}: ClusterPolicy ${manifest.metadata?.name}: ${message}`;
    if (contract.driver === "host")
      return enabled
        ? [at("driver.enabled must be false: the contract installs the driver on the host")]
        : [];
    if (!enabled)
      return [at(`driver.enabled is false, but the contract's driver mode is "${contract.driver}"`)];
    if (contract.driver === "precompiled")
      return precompiledProblems(driver, contract.nodeOs, at, offline(cluster, repoConfig));
    const problems: string[] = [];
    if (driver.usePrecompiled)
      problems.push(at("driver.usePrecompiled must be false (contract: package-repository)"));
    if (repoConfig !== contract.repositoryConfigMap)
      problems.push(
        at(
          `driver.repoConfig.configMapName must be "${contract.repositoryConfigMap}"${offline(cluster, repoConfig)}`,
        ),
      );
    else if (
      !objects.some((o) => o.manifest.kind === "ConfigMap" && o.manifest.metadata?.name === repoConfig)
    )
      problems.push(
        at(`driver.repoConfig names ConfigMap "${repoConfig}", which the estate does not create`),
      );
    return problems;
  });
}

/**
 * NVIDIA publishes precompiled driver images per driver branch, kernel and OS
 * (`<branch>-<kernel>-<os>`), for Ubuntu 22.04 only (the chart's values.yaml at v26.7.0: "only supported
 * as a tech-preview feature on ubuntu22.04 kernels").
 */
function precompiledProblems(
  driver: Spec,
  nodeOs: string,
  at: (m: string) => string,
  offlineNote: string,
): string[] {
  if (!driver.usePrecompiled)
    return [at(`driver.usePrecompiled must be true (contract: precompiled)${offlineNote}`)];
  const problems: string[] = [];
  if (!/^\d+$/.test(String(driver.version ?? "")))
    problems.push(
      at(
        `driver.version "${driver.version}" must be a driver branch (such as 595): precompiled images are tagged <branch>-<kernel>-<os>`,
      ),
    );
  if (nodeOs !== "ubuntu22.04")
    problems.push(at(`precompiled drivers exist only for ubuntu22.04 nodes; the contract says ${nodeOs}`));
  return problems;
}

function offline(cluster: Cluster, repoConfig: string | undefined): string {
  return cluster.location === "on-prem" && !repoConfig
    ? "; as rendered the driver is built from the distribution's public package mirrors, which this cluster cannot reach"
    : "";
}
