import { parse } from "yaml";
import type { Manifest } from "../k8s/model-object.ts";

/** One rendered object as a reviewer thinks of it: cluster, Flux Kustomization, identity. */
export interface DiffObject {
  readonly cluster: string;
  /** The Flux Kustomization that applies it: `flux-system` for the entry, else the layer. */
  readonly kustomization: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly path: string;
  readonly manifest: Manifest;
}

export function objectKey(
  o: Pick<DiffObject, "cluster" | "apiVersion" | "kind" | "namespace" | "name">,
): string {
  return [o.cluster, o.apiVersion, o.kind, o.namespace, o.name].join("|");
}

export function describeObject(o: DiffObject): string {
  return `${o.apiVersion} ${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
}

/** The objects of a rendered tree (dist/clusters/**), keyed by cluster and identity. */
export function indexObjects(tree: ReadonlyMap<string, string>): Map<string, DiffObject> {
  const objects = new Map<string, DiffObject>();
  for (const [path, content] of tree) {
    const parts = path.split("/");
    if (parts[0] !== "dist" || parts[1] !== "clusters" || path.endsWith("/kustomization.yaml")) continue;
    const manifest = parse(content) as Manifest;
    if (!manifest?.kind) continue;
    const object: DiffObject = {
      cluster: parts[2] as string,
      kustomization: parts.length === 4 ? "flux-system" : (parts[3] as string),
      apiVersion: manifest.apiVersion,
      kind: manifest.kind,
      namespace: manifest.metadata?.namespace ?? "",
      name: manifest.metadata?.name ?? "",
      path,
      manifest,
    };
    objects.set(objectKey(object), object);
  }
  return objects;
}
