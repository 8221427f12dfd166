/**
 * The clusters of the estate, one file each, named after the cluster.
 * Adding a cluster: create `clusters/<name>.ts` (copy one of these) and add its file name here.
 */
export const clusterFiles = ["rke2-cloud.ts", "rke2-core.ts", "rke2-nonprod.ts"];
