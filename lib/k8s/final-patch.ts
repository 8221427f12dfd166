import { type ApiObject, JsonPatch } from "cdk8s";

/**
 * Patches applied to an object's final JSON, after cdk8s's own serialisation. Needed where the
 * generated k8s bindings drop what they do not model: KubeDeployment's converter maps every
 * resource quantity through its Quantity type, so an extended resource such as `nvidia.com/gpu`
 * added with `addJsonPatch` silently disappears.
 */
const finalPatches = new WeakMap<ApiObject, JsonPatch[]>();

export function addFinalPatch(object: ApiObject, ...patches: JsonPatch[]): void {
  finalPatches.set(object, [...(finalPatches.get(object) ?? []), ...patches]);
}

export function renderApiObject(object: ApiObject): Record<string, unknown> {
  const patches = finalPatches.get(object) ?? [];
  const json = object.toJson();
  return patches.length ? JsonPatch.apply(json, ...patches) : json;
}
