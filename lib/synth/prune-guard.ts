import { PRUNE_DISABLED } from "../flux/constants.ts";
import type { RenderedObject } from "./render.ts";

/**
 * Kinds that hold data: Flux must never delete them because they vanished from Git (a refactor, a
 * renamed construct). Removing one is a deliberate act on the cluster, not a side effect of a PR.
 */
export const STATEFUL_KINDS = new Set([
  "v1/Namespace",
  "v1/PersistentVolumeClaim",
  "postgresql.cnpg.io/v1/Cluster",
  "minio.min.io/v2/Tenant",
]);

export function isStateful(apiVersion: string, kind: string): boolean {
  return STATEFUL_KINDS.has(`${apiVersion}/${kind}`);
}

/** Stamps `kustomize.toolkit.fluxcd.io/prune: disabled` on every stateful object, whatever its author wrote. */
export function guardAgainstPrune(objects: readonly RenderedObject[]): RenderedObject[] {
  return objects.map((object) => {
    const { manifest } = object;
    if (!isStateful(manifest.apiVersion, manifest.kind)) return object;
    const metadata = manifest.metadata ?? {};
    return {
      ...object,
      manifest: {
        ...manifest,
        metadata: { ...metadata, annotations: { ...metadata.annotations, ...PRUNE_DISABLED } },
      },
    };
  });
}
