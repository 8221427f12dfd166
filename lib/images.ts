import type { Cluster } from "./inventory/model.ts";

/**
 * Where the organisation's registry mirrors an upstream repository: the upstream host stays the first
 * path segment (`ghcr.io/fluxcd` -> `registry.waterschap.example/ghcr.io/fluxcd`), so every mirrored
 * name is unambiguous and the image policy needs to trust one registry only.
 */
export function mirror(cluster: Cluster, upstream: string): string {
  return `${cluster.images.registry}/${upstream}`;
}
