import { posix } from "node:path";
import type { Manifest } from "../k8s/model-object.ts";
import { kustomizationResources, parsedFile } from "../k8s/tree-documents.ts";
import { MIRROR_DIR } from "../mirror/manifest.ts";
import type { SchemaRegistry } from "../schemas/registry.ts";
import { fileNameOf } from "../synth/tree.ts";

const KUSTOMIZATION = "kustomization.yaml";

/** What the file checks found, and how many objects they checked. */
export interface FileChecks {
  readonly problems: string[];
  readonly objects: number;
}

/**
 * The Flux trees (dist/clusters/): every directory's kustomization.yaml lists exactly its files, each
 * file holds one object named after it, and every object passes its schema.
 */
export async function checkFluxFiles(
  files: ReadonlyMap<string, string>,
  schemas: SchemaRegistry,
): Promise<FileChecks> {
  const byDir = new Map<string, string[]>();
  for (const path of files.keys()) {
    const dir = path.slice(0, path.lastIndexOf("/"));
    byDir.set(dir, [...(byDir.get(dir) ?? []), path.slice(dir.length + 1)]);
  }
  const problems: string[] = [];
  let objects = 0;
  for (const [dir, names] of byDir) {
    if (!dir.startsWith("dist/clusters/")) continue;
    problems.push(...listingProblems(files, byDir, dir, names));
    for (const name of names.filter((n) => n !== KUSTOMIZATION)) {
      const path = `${dir}/${name}`;
      const { manifests, count, error } = parsedFile(files, path);
      if (count !== 1) problems.push(`${path}: holds ${count} documents; one object per file`);
      if (error) problems.push(`${path}: not valid YAML: ${error}`);
      for (const manifest of manifests as Manifest[]) {
        objects++;
        const label = `${manifest?.kind} "${manifest?.metadata?.name}"`;
        if (manifest?.kind && fileNameOf(manifest) !== name)
          problems.push(`${path}: ${label} belongs in ${fileNameOf(manifest)}`);
        for (const violation of await schemas.check(manifest))
          problems.push(`${path}: ${label}: ${violation}`);
      }
    }
  }
  return { problems, objects };
}

function listingProblems(
  files: ReadonlyMap<string, string>,
  byDir: ReadonlyMap<string, string[]>,
  dir: string,
  names: readonly string[],
): string[] {
  if (!names.includes(KUSTOMIZATION)) return [`${dir}: has no ${KUSTOMIZATION}`];
  const listed = kustomizationResources(files, dir);
  const subdirs = [...byDir.keys()]
    .filter((d) => d.startsWith(`${dir}/`) && !d.slice(dir.length + 1).includes("/"))
    .map((d) => d.slice(dir.length + 1));
  const ownFiles = names.filter((n) => n !== KUSTOMIZATION);
  const present = [...ownFiles, ...subdirs];
  // Unlisted subdirectories are fine when a Flux Kustomization applies them; the graph check reports
  // any directory that nothing applies.
  return [
    ...ownFiles
      .filter((n) => !listed.includes(n))
      .map((n) => `${dir}/${n}: not listed in ${KUSTOMIZATION}; kustomize would ignore it`),
    ...listed
      .filter((n) => !present.includes(String(n)))
      .map((n) => `${dir}/${KUSTOMIZATION}: lists ${n}, which does not exist`),
  ];
}

/**
 * Outside the Flux trees (Kyverno CLI suites, host config): every document schema-valid, every file a
 * Kyverno Test refers to present. The review documents (dist/docs/: the estate map, checked by the
 * tests' Mermaid parser, and the data paths) are no objects.
 */
export async function checkFilesOutsideFlux(
  files: ReadonlyMap<string, string>,
  schemas: SchemaRegistry,
): Promise<FileChecks> {
  const problems: string[] = [];
  let objects = 0;
  for (const path of files.keys()) {
    // The mirror manifests are not Kubernetes objects: validate compares them with the hydrated estate.
    // dist/docs/ holds the review documents (the estate map, the data paths), not objects.
    const notObjects = [`${MIRROR_DIR}/`, "dist/docs/", "dist/clusters/"];
    if (notObjects.some((dir) => path.startsWith(dir)) || !path.endsWith(".yaml")) continue;
    const { manifests, error } = parsedFile(files, path);
    if (error) problems.push(`${path}: not valid YAML: ${error}`);
    for (const manifest of manifests as Manifest[]) {
      objects++;
      for (const violation of await schemas.check(manifest))
        problems.push(`${path}: ${manifest?.kind}: ${violation}`);
      if (manifest?.kind === "Test") problems.push(...missingTestFiles(files, path, manifest));
    }
  }
  return { problems, objects };
}

function missingTestFiles(files: ReadonlyMap<string, string>, path: string, manifest: Manifest): string[] {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const test = manifest as unknown as {
    policies: string[];
    resources: string[];
    variables?: string;
    results: Record<string, unknown>[];
  };
  const referenced = [
    ...test.policies,
    ...test.resources,
    ...(test.variables ? [test.variables] : []),
    ...test.results.flatMap((r) => [r.patchedResources, r.generatedResource].filter((f): f is string => !!f)),
  ];
  return referenced
    .filter((ref) => !files.has(posix.normalize(`${dir}/${ref}`)))
    .map((ref) => `${path}: refers to ${ref}, which does not exist`);
}
