import { parse } from "yaml";
import { differingPaths } from "../synth/tree.ts";
import { withChartObjects } from "./charts.ts";
import { blobId, listTreeAtRef, readBlobs } from "./git.ts";
import { diffTrees, type EstateDiff } from "./index.ts";

/** One side of a diff: dist/ at a commit, or a tree rendered in memory. */
export interface TreeSide {
  /** Every file's git blob id, by repository-relative path. */
  readonly ids: ReadonlyMap<string, string>;
  /** The contents of these files (those the side has). */
  read(paths: readonly string[]): Map<string, string>;
}

export function sideAtRef(root: string, ref: string): TreeSide {
  const ids = listTreeAtRef(root, ref);
  return {
    ids,
    read(paths) {
      const present = paths.filter((path) => ids.has(path));
      const contents = readBlobs(
        root,
        present.map((path) => ids.get(path) as string),
      );
      return new Map(present.map((path, i) => [path, contents[i] as string]));
    },
  };
}

/** A rendered tree; `format` is the repository's object format, so ids compare with a commit's. */
export function sideInMemory(tree: ReadonlyMap<string, string>, format: string): TreeSide {
  return {
    ids: new Map([...tree].map(([path, content]) => [path, blobId(content, format)])),
    read: (paths) =>
      new Map(paths.filter((path) => tree.has(path)).map((path) => [path, tree.get(path) as string])),
  };
}

/** Kinds whose change can change what a chart renders: the release and where its chart comes from. */
const CHART_INPUTS = new Set(["HelmRelease", "OCIRepository", "HelmRepository", "HelmChart"]);

/**
 * The estate diff of two sides, reading and parsing only what changed: files are compared by blob id
 * (no content read for an unchanged file), then by content. Chart objects are rendered for the
 * clusters where a HelmRelease or a chart source changed, on both sides, so a values change or a
 * chart version bump shows as the change of the objects the chart renders.
 */
export async function diffSides(root: string, base: TreeSide, head: TreeSide): Promise<EstateDiff> {
  const candidates = [...new Set([...base.ids.keys(), ...head.ids.keys()])].filter(
    (path) => base.ids.get(path) !== head.ids.get(path),
  );
  const before = base.read(candidates);
  const after = head.read(candidates);
  const changed = differingPaths(before, after);
  const only = (files: Map<string, string>) =>
    new Map(changed.filter((path) => files.has(path)).map((path) => [path, files.get(path) as string]));
  const clusters = chartClusters(changed, before, after);
  return diffTrees(
    await withClusterCharts(root, base, only(before), clusters),
    await withClusterCharts(root, head, only(after), clusters),
  );
}

function chartClusters(
  changed: readonly string[],
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string[] {
  const clusters = new Set<string>();
  for (const path of changed.filter((p) => p.startsWith("dist/clusters/"))) {
    const kinds = [before.get(path), after.get(path)].map((content) => kindOf(content));
    if (kinds.some((kind) => kind && CHART_INPUTS.has(kind))) clusters.add(path.split("/")[2] as string);
  }
  return [...clusters];
}

function kindOf(content: string | undefined): string | undefined {
  if (content === undefined) return undefined;
  try {
    return (parse(content) as { kind?: string } | null)?.kind;
  } catch {
    return undefined; // not YAML: compared as it is, nothing to render
  }
}

/** The changed files plus the chart objects of every release in these clusters. */
async function withClusterCharts(
  root: string,
  side: TreeSide,
  files: Map<string, string>,
  clusters: readonly string[],
): Promise<Map<string, string>> {
  if (clusters.length === 0) return files;
  const inClusters = [...side.ids.keys()].filter((path) =>
    clusters.some((cluster) => path.startsWith(`dist/clusters/${cluster}/`)),
  );
  const clusterFiles = side.read(inClusters);
  const out = new Map(files);
  for (const [path, content] of await withChartObjects(root, clusterFiles)) {
    if (!clusterFiles.has(path)) out.set(path, content);
  }
  return out;
}
