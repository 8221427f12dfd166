import { EstateError } from "../errors.ts";
import { loadEstate } from "../estate/load.ts";
import type { PinnedComponent } from "../inventory/component.ts";
import { ensureKubectl } from "../k8s/kubectl.ts";
import { NAMESPACES_BEFORE_FLUX } from "../namespaces/preexisting.ts";
import { SchemaRegistry } from "../schemas/registry.ts";
import { credentialsInFiles, describeCredential } from "../secrets/scan-files.ts";
import { missingDist, readTree } from "../synth/dist-tree.ts";
import { checkApplyOrder } from "./apply-order.ts";
import { guardsOnDist } from "./dist-guards.ts";
import { type ClusterGraph, checkClusterGraph } from "./flux-graph.ts";
import { type HydratedValidation, validateHydrated } from "./hydrated.ts";
import { staleMirrorManifests } from "./mirror-manifests.ts";
import { checkFilesOutsideFlux, checkFluxFiles } from "./tree-files.ts";

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

/**
 * Checks dist/ as Flux and the API server will see it: every object against its real schema, every
 * directory's kustomization.yaml against its files, every Flux path built with the real kustomize,
 * and every cluster's Flux graph resolved inside that cluster's tree.
 */
export async function validateDist(
  root: string,
  components: readonly PinnedComponent[],
): Promise<ValidationReport> {
  const missing = missingDist(root);
  if (missing) return { problems: [missing], objects: 0, fluxObjects: 0, kustomizeBuilds: 0, graphs: [] };
  const files = readTree(root, "dist");
  const schemas = new SchemaRegistry(root);
  const flux = await checkFluxFiles(files, schemas);
  const outside = await checkFilesOutsideFlux(files, schemas);
  await schemas.save();
  // The Flux trees' objects are scanned by synth's guards (guardsOnDist); the rest of dist/ here.
  const others = new Map([...files].filter(([path]) => !path.startsWith("dist/clusters/")));
  const problems = [
    ...flux.problems,
    ...outside.problems,
    ...credentialsInFiles(others).map(describeCredential),
  ];
  const objects = flux.objects + outside.objects;
  const fluxObjects = flux.objects;

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
    const estate = await loadEstate(root, components);
    problems.push(...guardsOnDist(files, estate.clusters));
    hydrated = await validateHydrated(root, files, estate);
    problems.push(...hydrated.problems);
    const { objects: all, releases } = hydrated.hydrated;
    for (const graph of graphs)
      problems.push(...checkApplyOrder(graph, all, releases, NAMESPACES_BEFORE_FLUX));
    problems.push(...staleMirrorManifests(root, estate, hydrated.hydrated, files));
  } catch (error) {
    if (!(error instanceof EstateError)) throw error;
    problems.push(
      `clusters/: the inventory does not load, so the hydrated estate cannot be judged:\n${error.message}`,
    );
  }
  return { problems, objects, fluxObjects, kustomizeBuilds, graphs, hydrated };
}
