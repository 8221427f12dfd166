import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";

type Spec = Record<string, any>;

/** Every volume claim of the hydrated estate: PVCs (CloudNativePG's included) and StatefulSet templates. */
function claimsOf(objects: readonly HydratedObject[]): { origin: string; subject: string; spec: Spec }[] {
  return objects.flatMap(({ origin, manifest }) => {
    const at = (m: Manifest) =>
      `${m.metadata?.namespace ?? manifest.metadata?.namespace}/${m.metadata?.name}`;
    if (manifest.kind === "PersistentVolumeClaim")
      return [
        { origin, subject: `PersistentVolumeClaim ${at(manifest)}`, spec: (manifest.spec ?? {}) as Spec },
      ];
    if (manifest.kind !== "StatefulSet") return [];
    return (((manifest.spec as Spec)?.volumeClaimTemplates ?? []) as Manifest[]).map((t) => ({
      origin,
      subject: `StatefulSet ${at(manifest)} volumeClaimTemplate ${t.metadata?.name}`,
      spec: (t.spec ?? {}) as Spec,
    }));
  });
}

/**
 * Each claim gets a volume from the cluster's contract: the StorageClass it names (or, naming none,
 * the contract's default, as the DefaultStorageClass admission plugin gives it) exists and offers
 * every access mode it asks for. `storageClassName: ""` asks for a pre-provisioned volume, which the
 * contract does not declare: it cannot be proven to bind.
 */
export function storageProblems(cluster: Cluster, objects: readonly HydratedObject[]): string[] {
  const classes = cluster.platform.storageClasses;
  const fallback = classes.find((c) => c.default);
  return claimsOf(objects).flatMap(({ origin, subject, spec }) => {
    const at = (message: string) => `${origin}: cluster "${cluster.name}": ${subject}: ${message}`;
    // A null (as charts render an unset value) is no field at all once the API server has it.
    const named = (spec.storageClassName ?? undefined) as string | undefined;
    if (named === "")
      return [at('storageClassName "" asks for a pre-provisioned volume; cannot prove one exists')];
    const storageClass = named === undefined ? fallback : classes.find((c) => c.name === named);
    if (!storageClass)
      return [
        at(
          named === undefined
            ? "names no StorageClass and the platform contract has no default one"
            : `StorageClass "${named}" is not in the platform contract (${classes.map((c) => c.name).join(", ")})`,
        ),
      ];
    const missing = ((spec.accessModes ?? []) as string[]).filter(
      (mode) => !(storageClass.accessModes as readonly string[]).includes(mode),
    );
    if ((spec.accessModes ?? []).length === 0) return [at("asks for no access mode")];
    return missing.length
      ? [
          at(
            `StorageClass "${storageClass.name}" (${storageClass.provisioner}) does not offer ${missing.join(", ")}`,
          ),
        ]
      : [];
  });
}
