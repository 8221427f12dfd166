import type { LayerName } from "./flux/layers.ts";

/** The directory, relative to the repository root, that a cluster's Flux syncs. */
export function clusterPath(cluster: string): string {
  return `dist/clusters/${cluster}`;
}

/** Repository-relative directory of one layer; the entry layer is the cluster directory itself. */
export function layerPath(cluster: string, layer: LayerName): string {
  return layer === "entry" ? clusterPath(cluster) : `${clusterPath(cluster)}/${layer}`;
}
