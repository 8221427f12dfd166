import { existsSync } from "node:fs";
import { join, posix } from "node:path";
import { parse } from "yaml";
import { EstateError } from "../errors.ts";
import { loadEstate } from "../inventory/load.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { parsedFile } from "../k8s/tree-documents.ts";
import { fileNameOf } from "../synth/tree.ts";
import { interruptedSwap } from "../synth/write.ts";
import { guardsOnDist } from "./dist-guards.ts";
import { readTree } from "./dist-tree.ts";
import { type ClusterGraph, checkClusterGraph } from "./flux-graph.ts";
import { type HydratedValidation, validateHydrated } from "./hydrated.ts";
import { ensureKubectl } from "./kubectl.ts";
import { SchemaRegistry } from "./schemas.ts";

export interface ValidationReport {
  readonly problems: readonly string[];
  /** Every document checked: the objects of the Flux trees and, outside them, policy tests and host config. */
  readonly objects: number;
  /** The objects of the Flux trees alone (what synth reports as written). */
  readonly fluxObjects: number;
  readonly kustomizeBuilds: number;
  readonly graphs: readonly ClusterGraph[];
  /** The day-1 checks on the hydrated estate; absent when the inventory could not be loaded. */
  readonly hydrated?: HydratedValidation;
}

const KUSTOMIZATION = "kustomization.yaml";

/**
 * Checks dist/ as Flux and the API server will see it: every object against its real schema, every
 * directory's kustomization.yaml against its files, every Flux path built with the real kustomize,
 * and every cluster's Flux graph resolved inside that cluster's tree.
 */
export async function validateDist(root: string): Promise<ValidationReport> {
  if (!existsSync(join(root, "dist"))) {
    const missing = interruptedSwap(root) ?? "dist/ does not exist; run `npm run synth`";
    return { problems: [missing], objects: 0, fluxObjects: 0, kustomizeBuilds: 0, graphs: [] };
  }
  const files = readTree(root, "dist");
  const problems: string[] = [];
  const schemas = new SchemaRegistry(root);
  let objects = 0;
  let fluxObjects = 0;

  const byDir = new Map<string, string[]>();
  for (const path of files.keys()) {
    const dir = path.slice(0, path.lastIndexOf("/"));
    byDir.set(dir, [...(byDir.get(dir) ?? []), path.slice(dir.length + 1)]);
  }

  for (const [dir, names] of byDir) {
    if (!dir.startsWith("dist/clusters/")) continue;
    if (!names.includes(KUSTOMIZATION)) {
      problems.push(`${dir}: has no ${KUSTOMIZATION}`);
    } else {
      const listed: string[] = (parse(files.get(`${dir}/${KUSTOMIZATION}`) as string)?.resources ??
        []) as string[];
      const subdirs = [...byDir.keys()]
        .filter((d) => d.startsWith(`${dir}/`) && !d.slice(dir.length + 1).includes("/"))
        .map((d) => d.slice(dir.length + 1));
      const ownFiles = names.filter((n) => n !== KUSTOMIZATION);
      const present = [...ownFiles, ...subdirs];
      // Unlisted subdirectories are fine when a Flux Kustomization applies them; the graph check
      // reports any directory that nothing applies.
      for (const n of ownFiles.filter((n) => !listed.includes(n))) {
        problems.push(`${dir}/${n}: not listed in ${KUSTOMIZATION}; kustomize would ignore it`);
      }
      for (const n of listed.filter((n) => !present.includes(n))) {
        problems.push(`${dir}/${KUSTOMIZATION}: lists ${n}, which does not exist`);
      }
    }
    for (const name of names) {
      if (name === KUSTOMIZATION) continue;
      const path = `${dir}/${name}`;
      const { manifests, count, error } = parsedFile(files, path);
      if (count !== 1) problems.push(`${path}: holds ${count} documents; one object per file`);
      if (error) problems.push(`${path}: not valid YAML: ${error}`);
      for (const manifest of manifests as Manifest[]) {
        objects++;
        fluxObjects++;
        const label = `${manifest?.kind} "${manifest?.metadata?.name}"`;
        if (manifest?.kind && fileNameOf(manifest) !== name) {
          problems.push(`${path}: ${label} belongs in ${fileNameOf(manifest)}`);
        }
        for (const violation of await schemas.check(manifest))
          problems.push(`${path}: ${label}: ${violation}`);
      }
    }
  }

  // Outside the Flux paths (Kyverno CLI suites, host config): every document schema-valid, every
  // file a Kyverno Test refers to present.
  for (const path of files.keys()) {
    // The estate map (dist/docs/) is Markdown, checked by the tests' Mermaid parser.
    if (path.startsWith("dist/clusters/") || !path.endsWith(".yaml")) continue;
    const dir = path.slice(0, path.lastIndexOf("/"));
    const { manifests, error } = parsedFile(files, path);
    if (error) problems.push(`${path}: not valid YAML: ${error}`);
    for (const manifest of manifests as Manifest[]) {
      objects++;
      for (const violation of await schemas.check(manifest))
        problems.push(`${path}: ${manifest?.kind}: ${violation}`);
      if (manifest?.kind !== "Test") continue;
      const test = manifest as unknown as {
        policies: string[];
        resources: string[];
        results: Record<string, unknown>[];
      };
      const referenced = [
        ...test.policies,
        ...test.resources,
        ...test.results.flatMap((r) =>
          [r.patchedResources, r.generatedResource].filter((f): f is string => !!f),
        ),
      ];
      for (const ref of referenced) {
        if (!files.has(posix.normalize(`${dir}/${ref}`)))
          problems.push(`${path}: refers to ${ref}, which does not exist`);
      }
    }
  }

  const kubectl = ensureKubectl(root);
  const clusters = [
    ...new Set(
      [...files.keys()]
        .filter((p) => p.startsWith("dist/clusters/"))
        .map((p) => p.split("/")[2])
        .filter((c): c is string => !!c),
    ),
  ];
  const graphs = await Promise.all(clusters.map((c) => checkClusterGraph(root, kubectl, c, files)));
  for (const graph of graphs) {
    for (const p of graph.problems) problems.push(`${p.file}: cluster "${p.cluster}": ${p.message}`);
  }
  const kustomizeBuilds = graphs.reduce((n, g) => n + g.applied.length, 0);

  let hydrated: HydratedValidation | undefined;
  try {
    const estate = await loadEstate(root);
    problems.push(...guardsOnDist(files, estate.clusters));
    hydrated = await validateHydrated(root, files, estate);
    problems.push(...hydrated.problems);
  } catch (error) {
    if (!(error instanceof EstateError)) throw error;
    problems.push(
      `clusters/: the inventory does not load, so the hydrated estate cannot be judged:\n${error.message}`,
    );
  }
  return { problems, objects, fluxObjects, kustomizeBuilds, graphs, hydrated };
}
