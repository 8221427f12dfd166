/** The objects of each cluster, in their order: one pass, so per-cluster work never rescans the estate. */
export function byCluster<T extends { readonly cluster: string }>(objects: readonly T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const object of objects) {
    const own = grouped.get(object.cluster);
    if (own) own.push(object);
    else grouped.set(object.cluster, [object]);
  }
  return grouped;
}
