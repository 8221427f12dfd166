import type { z } from "zod";
import type { Problem } from "../errors.ts";
import type { ClusterInputSchema } from "../inventory/schema.ts";

type ParsedCluster = z.output<typeof ClusterInputSchema>;

/** What the contract's schema cannot see on its own: how its parts fit the cluster and each other. */
export function contractProblems(file: string, c: ParsedCluster): Problem[] {
  const at = (field: string, message: string): Problem => ({
    file,
    cluster: c.name,
    field: `platform.${field}`,
    message,
  });
  const { platform } = c;
  const problems: Problem[] = [];
  if (c.gpuNodes && !platform.gpu)
    problems.push(at("gpu", "is required when gpuNodes is true: how the NVIDIA driver reaches the nodes"));
  if (!c.gpuNodes && platform.gpu) problems.push(at("gpu", "is set but the cluster has no GPU nodes"));
  if (platform.gpu?.driver === "precompiled" && !platform.gpu.kernel)
    problems.push(
      at("gpu.kernel", "is required for precompiled drivers: NVIDIA tags those images per kernel"),
    );
  if (platform.gpu?.driver === "package-repository" && !platform.gpu.repositoryConfigMap)
    problems.push(at("gpu.repositoryConfigMap", "is required to build the driver from a package repository"));
  const defaults = platform.storageClasses.filter((s) => s.default);
  if (defaults.length > 1)
    problems.push(at("storageClasses", `marks ${defaults.length} classes as default; at most one may be`));
  const names = platform.storageClasses.map((s) => s.name);
  if (new Set(names).size !== names.length) problems.push(at("storageClasses", "names a class twice"));
  if ((c.provider === "azure") !== (platform.loadBalancer.implementation === "azure"))
    problems.push(
      at(
        "loadBalancer.implementation",
        `"${platform.loadBalancer.implementation}" does not fit provider "${c.provider}" (Azure's load balancer exists only on Azure)`,
      ),
    );
  const { implementation, pools } = platform.loadBalancer;
  if (implementation !== "azure" && pools.length === 0)
    problems.push(at("loadBalancer.pools", `${implementation} needs at least one address pool`));
  return problems;
}
