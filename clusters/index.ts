/**
 * The estate. Clusters: one file each, named after the cluster; adding one is a new file plus its
 * name here. Catalogue: the workloads, one file per domain, and where each environment runs them.
 */
export const clusterFiles = ["rke2-cloud.ts", "rke2-core.ts", "rke2-nonprod.ts", "rke2-mgmt.ts"];
export const catalogueFiles = [
  "catalogue/portal.ts",
  "catalogue/meetdata.ts",
  "catalogue/ai.ts",
  "catalogue/operations.ts",
];
