import type { Problem } from "../errors.ts";
import { EstateError } from "../errors.ts";
import { LAYERS } from "../flux/layers.ts";
import type { Cluster } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { rememberParsed } from "../k8s/tree-documents.ts";
import { toYaml } from "../k8s/yaml.ts";
import { layerPath } from "../paths.ts";
import type { RenderedObject } from "./render.ts";

/** The rendered tree: repository-relative path -> file content. Sorted paths, so output is stable. */
export type FileTree = Map<string, string>;

export function fileNameOf(manifest: Manifest): string {
  return `${manifest.kind}-${manifest.metadata?.name}.yaml`.toLowerCase();
}

function kustomizationFile(resources: readonly string[]): string {
  return toYaml({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources });
}

/**
 * Where an object's file goes. In the applied layers, namespaced objects sit in a subdirectory per
 * namespace (so `default-deny` can exist in every namespace, and a PR diff groups by namespace);
 * cluster-scoped objects, Namespaces included, sit in the layer directory itself. The entry is flat.
 */
export function objectPath(object: RenderedObject): string {
  const dir = layerPath(object.cluster.name, object.layer);
  const namespace = object.manifest.metadata?.namespace;
  const sub = object.layer !== "entry" && namespace ? `/${namespace}` : "";
  return `${dir}${sub}/${fileNameOf(object.manifest)}`;
}

/**
 * Lays out rendered objects as files, one object each, plus a `kustomization.yaml` in every directory
 * listing exactly its files and namespace subdirectories. Every layer directory exists, even an empty
 * one, because its Flux Kustomization points at it.
 */
export function buildTree(
  objects: readonly RenderedObject[],
  clusters: readonly Cluster[],
  write: (manifest: unknown) => string = toYaml,
): FileTree {
  const problems: Problem[] = [];
  const byPath = new Map<string, RenderedObject>();
  for (const object of objects) {
    const path = objectPath(object);
    const clash = byPath.get(path);
    if (clash) {
      problems.push({
        file: object.cluster.source,
        cluster: object.cluster.name,
        rule: "unique-names",
        message: `${object.manifest.kind} "${object.manifest.metadata?.name}" is rendered twice into ${path} (by ${clash.constructPath} and ${object.constructPath})`,
      });
      continue;
    }
    byPath.set(path, object);
  }
  if (problems.length > 0) throw new EstateError(problems);

  const tree: FileTree = new Map();
  const dirs = new Map<string, string[]>(
    clusters.flatMap((c) => (["entry", ...LAYERS] as const).map((layer) => [layerPath(c.name, layer), []])),
  );
  for (const path of [...byPath.keys()].sort()) {
    const object = byPath.get(path) as RenderedObject;
    tree.set(path, write(object.manifest));
    const dir = path.slice(0, path.lastIndexOf("/"));
    const files = dirs.get(dir) ?? [];
    files.push(path.slice(dir.length + 1));
    dirs.set(dir, files);
  }
  for (const dir of [...dirs.keys()]) {
    const parent = dir.slice(0, dir.lastIndexOf("/"));
    const isNamespaceDir = !clusters.some((c) =>
      (["entry", ...LAYERS] as const).some((layer) => layerPath(c.name, layer) === dir),
    );
    if (isNamespaceDir) dirs.get(parent)?.push(dir.slice(parent.length + 1));
  }
  for (const [dir, entries] of dirs) tree.set(`${dir}/kustomization.yaml`, kustomizationFile(entries.sort()));
  const sorted: FileTree = new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  // The checks that read the tree next (hydration for the mirror manifests) need not parse it again.
  for (const [path, object] of byPath) rememberParsed(sorted, path, object.manifest);
  return sorted;
}

/** The paths whose content differs between two trees (added, changed or gone), sorted. */
export function differingPaths(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path)).sort();
}
