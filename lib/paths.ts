import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { LayerName } from "./flux/layers.ts";

/** The directory, relative to the repository root, that a cluster's Flux syncs. */
export function clusterPath(cluster: string): string {
  return `dist/clusters/${cluster}`;
}

/** Repository-relative directory of one layer; the entry layer is the cluster directory itself. */
export function layerPath(cluster: string, layer: LayerName): string {
  return layer === "entry" ? clusterPath(cluster) : `${clusterPath(cluster)}/${layer}`;
}

/**
 * The repository a command works on: the nearest directory from the working directory upwards that
 * holds `clusters/index.ts` or is a Git work tree's top, so commands work from any subdirectory;
 * else `fallback` (the checkout the command itself comes from).
 */
export function repositoryRoot(fallback: string, from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "clusters/index.ts")) || existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return resolve(fallback);
  }
}
