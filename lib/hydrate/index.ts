import { availableParallelism } from "node:os";
import { type HelmReleaseTarget, resolveRelease, vendoredChart } from "../helm/releases.ts";
import { type RenderResult, renderRelease } from "../helm/render.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { isClusterScoped } from "../k8s/scope.ts";
import { parsedFile } from "../k8s/tree-documents.ts";
import { byCluster } from "./by-cluster.ts";
import { buildMirroredKustomization } from "./git-mirrors.ts";
import type { GpuNodeFacts } from "./gpu-operands.ts";
import { operatorObjects } from "./operator-objects.ts";
import { rancherSystemCharts } from "./rancher-system-charts.ts";

/** One object of the hydrated estate, with where it comes from. */
export interface HydratedObject {
  readonly cluster: string;
  /** `dist/…` for a file of the tree, `helm <namespace>/<release>` or `operator <kind> <ns>/<name>`. */
  readonly origin: string;
  readonly manifest: Manifest;
}

/** A HelmRelease of the tree and what its chart rendered. */
export interface RenderedRelease {
  readonly cluster: string;
  readonly file: string;
  readonly target: HelmReleaseTarget;
  readonly objects: readonly Manifest[];
}

export interface HydrationProblem {
  readonly cluster: string;
  readonly file: string;
  /** `HelmRelease <ns>/<name>` or the object concerned. */
  readonly subject: string;
  readonly message: string;
}

export interface HydratedEstate {
  readonly objects: readonly HydratedObject[];
  readonly releases: readonly RenderedRelease[];
  readonly problems: readonly HydrationProblem[];
}

/**
 * The estate as it will run: every object of dist/clusters/, plus what each HelmRelease's vendored
 * chart renders with its values (helm test hooks aside), plus what Git-mirrored Kustomizations apply,
 * plus what Rancher installs by itself, plus the pods operators create from custom resources
 * (CloudNativePG Clusters, Keycloaks). Validate
 * and the tests judge this, not our intent.
 */
export async function hydrate(
  root: string,
  files: ReadonlyMap<string, string>,
  gpuNodes: ReadonlyMap<string, GpuNodeFacts> = new Map(),
): Promise<HydratedEstate> {
  const distObjects = treeObjects(files);
  const { releases, problems } = await renderReleasesOf(root, distObjects);
  const mirrored = await mirroredObjects(root, distObjects, problems);
  const chartObjects = releases.flatMap((r) =>
    r.objects.map((manifest) => ({
      cluster: r.cluster,
      origin: `helm ${r.target.namespace}/${r.target.name}`,
      manifest,
    })),
  );
  const installedByRancher = await rancherSystemCharts(root, [...distObjects, ...chartObjects], problems);
  const all = [...distObjects, ...chartObjects, ...mirrored, ...installedByRancher];
  const operated = operatorObjects(root, all, gpuNodes, problems);
  return { objects: [...all, ...operated], releases, problems };
}

/** Only the chart renders of the tree's HelmReleases (what `npm run diff` compares). */
export function renderReleases(
  root: string,
  files: ReadonlyMap<string, string>,
): Promise<{ releases: RenderedRelease[]; problems: HydrationProblem[] }> {
  return renderReleasesOf(root, treeObjects(files));
}

async function renderReleasesOf(
  root: string,
  distObjects: readonly HydratedObject[],
): Promise<{ releases: RenderedRelease[]; problems: HydrationProblem[] }> {
  const problems: HydrationProblem[] = [];
  const manifestsOf = new Map(
    [...byCluster(distObjects)].map(([cluster, own]) => [cluster, own.map((o) => o.manifest)]),
  );
  const jobs = distObjects
    .filter((o) => o.manifest.kind === "HelmRelease")
    .map((object) => () => renderOne(root, object, manifestsOf.get(object.cluster) ?? [], problems));
  const releases = (await inPool(jobs, availableParallelism())).filter((r): r is RenderedRelease => !!r);
  return { releases, problems };
}

/** Objects of Flux Kustomizations that apply a Git mirror (operators, CRDs), from its vendored copy. */
async function mirroredObjects(
  root: string,
  distObjects: readonly HydratedObject[],
  problems: HydrationProblem[],
): Promise<HydratedObject[]> {
  const jobs: (() => Promise<HydratedObject[]>)[] = [];
  for (const object of distObjects) {
    const { manifest, cluster } = object;
    if (manifest.kind !== "Kustomization" || !manifest.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/"))
      continue;
    const ref = (manifest.spec as { sourceRef?: { kind: string; name: string } }).sourceRef;
    if (ref?.kind !== "GitRepository" || ref.name === "flux-system") continue;
    const source = distObjects.find(
      (o) =>
        o.cluster === cluster &&
        o.manifest.kind === "GitRepository" &&
        o.manifest.metadata?.name === ref.name,
    );
    const subject = `Kustomization ${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
    jobs.push(async () => {
      const built = source
        ? await buildMirroredKustomization(root, manifest, source.manifest)
        : "its GitRepository does not exist";
      if (typeof built !== "string")
        return built.map((m) => ({ cluster, origin: `git ${manifest.metadata?.name}`, manifest: m }));
      problems.push({ cluster, file: object.origin, subject, message: built });
      return [];
    });
  }
  return (await inPool(jobs, availableParallelism())).flat();
}

function treeObjects(files: ReadonlyMap<string, string>): HydratedObject[] {
  const objects: HydratedObject[] = [];
  for (const path of files.keys()) {
    if (!path.startsWith("dist/clusters/") || path.endsWith("/kustomization.yaml")) continue;
    const [manifest] = parsedFile(files, path).manifests;
    if (manifest?.kind) objects.push({ cluster: path.split("/")[2] as string, origin: path, manifest });
  }
  return objects;
}

async function renderOne(
  root: string,
  object: HydratedObject,
  sameCluster: readonly Manifest[],
  problems: HydrationProblem[],
): Promise<RenderedRelease | undefined> {
  const subject = `HelmRelease ${object.manifest.metadata?.namespace}/${object.manifest.metadata?.name}`;
  const report = (message: string) =>
    problems.push({ cluster: object.cluster, file: object.origin, subject, message });
  const target = resolveRelease(object.manifest, sameCluster);
  if (typeof target === "string") return void report(target);
  const chart = vendoredChart(root, target.chart, target.version);
  if (typeof chart === "string") return void report(chart);

  const result: RenderResult = await renderRelease(root, {
    chartPath: chart.path,
    releaseName: target.releaseName,
    namespace: target.targetNamespace,
    values: target.values,
    hooks: target.hooks,
  });
  if (!result.ok)
    return void report(`chart ${target.chart} ${target.version} refuses the values: ${result.message}`);
  const objects = result.manifests.map((m) => withNamespace(m, target.targetNamespace));
  return { cluster: object.cluster, file: object.origin, target, objects };
}

/** helm-controller installs namespaced objects that name no namespace into the release namespace. */
function withNamespace(manifest: Manifest, namespace: string): Manifest {
  if (manifest.metadata?.namespace || isClusterScoped(manifest.apiVersion, manifest.kind)) return manifest;
  return { ...manifest, metadata: { ...manifest.metadata, namespace } };
}

async function inPool<T>(jobs: readonly (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, worker));
  return results;
}
