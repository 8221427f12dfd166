import { normalize } from "node:path";
import { FLUX_SYNC_NAME } from "../flux/constants.ts";
import { kustomizeObjects } from "../k8s/kubectl.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { kustomizationResources } from "../k8s/tree-documents.ts";
import { clusterPath } from "../paths.ts";
import { FLUX_NAMESPACE } from "../platform.ts";

export interface GraphProblem {
  readonly cluster: string;
  readonly file: string;
  readonly message: string;
}

/** One directory as Flux applies it: the Kustomization (or FluxInstance) that points at it, and its build. */
export interface AppliedPath {
  readonly dir: string;
  readonly appliedBy: string;
  /** The Kustomization that applies it; absent for the entry, which the FluxInstance's sync applies. */
  readonly kustomization?: Manifest;
  readonly objects: readonly Manifest[];
}

export interface ClusterGraph {
  readonly cluster: string;
  readonly applied: readonly AppliedPath[];
  readonly problems: readonly GraphProblem[];
}

type Ref = { kind: string; name: string; namespace?: string };

const key = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind}/${namespace ?? ""}/${name}`;

function describe(m: Manifest): string {
  return `${m.kind} "${m.metadata?.namespace ? `${m.metadata.namespace}/` : ""}${m.metadata?.name}"`;
}

/**
 * Follows a cluster's Flux graph the way the controllers do: from the FluxInstance that syncs the
 * entry directory, through every Kustomization `path` (each built with the real kustomize), and checks
 * that every sourceRef, dependsOn, chartRef / chart.spec.sourceRef and providerRef resolves to an
 * object inside that cluster's tree.
 */
export async function checkClusterGraph(
  root: string,
  kubectl: string,
  cluster: string,
  files: ReadonlyMap<string, string>,
): Promise<ClusterGraph> {
  const walk = new GraphWalk(root, kubectl, cluster, files);
  const entry = await walk.build(walk.entryDir, "the cluster's Flux (FluxInstance sync)");
  walk.checkEntryInstance(entry);
  await walk.followKustomizations(entry);
  for (const located of walk.objects.values()) walk.checkReferences(located);
  walk.checkEveryDirectoryApplied();
  return { cluster, applied: walk.applied, problems: walk.problems };
}

type Located = { manifest: Manifest; dir: string };
/** A directory's build: its objects, kustomize's complaint, or no kustomization.yaml at all. */
type Built = { objects: Manifest[] } | { failed: string } | { missing: true };

const SOURCE_KINDS = [
  "GitRepository",
  "OCIRepository",
  "Bucket",
  "HelmRepository",
  "HelmChart",
  "ExternalArtifact",
];
const KUSTOMIZATION_SOURCES = ["GitRepository", "OCIRepository", "Bucket", "ExternalArtifact"];
const CHART_REF_KINDS = ["OCIRepository", "HelmChart", "ExternalArtifact"];

/** One cluster's walk: what was built, every object by kind and name, and what is wrong. */
class GraphWalk {
  readonly entryDir: string;
  readonly problems: GraphProblem[] = [];
  readonly applied: AppliedPath[] = [];
  readonly objects = new Map<string, Located>();
  private readonly visited: Set<string>;
  private readonly dirsWithKustomization: Set<string>;

  constructor(
    private readonly root: string,
    private readonly kubectl: string,
    private readonly cluster: string,
    private readonly files: ReadonlyMap<string, string>,
  ) {
    this.entryDir = clusterPath(cluster);
    this.visited = new Set([this.entryDir]);
    this.dirsWithKustomization = new Set(
      [...files.keys()]
        .filter((f) => f.endsWith("/kustomization.yaml"))
        .map((f) => f.slice(0, -"/kustomization.yaml".length)),
    );
  }

  private problem(file: string, message: string): void {
    this.problems.push({ cluster: this.cluster, file, message });
  }

  /** `kustomize build` of a directory, its objects recorded as applied by `appliedBy`. */
  async build(dir: string, appliedBy: string): Promise<Manifest[]> {
    return this.record(dir, appliedBy, undefined, await this.kustomize(dir));
  }

  /** The build alone, recording nothing, so several can run at once and be recorded in order. */
  private async kustomize(dir: string): Promise<Built> {
    if (!this.dirsWithKustomization.has(dir)) return { missing: true };
    try {
      return { objects: await kustomizeObjects(this.root, this.kubectl, dir, this.files) };
    } catch (error) {
      return { failed: (error as { stderr?: string }).stderr?.trim() || (error as Error).message };
    }
  }

  private record(
    dir: string,
    appliedBy: string,
    kustomization: Manifest | undefined,
    built: Built,
  ): Manifest[] {
    if ("missing" in built) {
      this.problem(dir, `${appliedBy} points at ${dir}, which has no kustomization.yaml`);
      return [];
    }
    if ("failed" in built) {
      this.problem(dir, `kustomize build failed: ${built.failed}`);
      return [];
    }
    this.applied.push({
      dir,
      appliedBy,
      ...(kustomization ? { kustomization } : {}),
      objects: built.objects,
    });
    for (const manifest of built.objects)
      this.objects.set(key(manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name ?? ""), {
        manifest,
        dir,
      });
    return built.objects;
  }

  /** Exactly one FluxInstance syncs the entry, and Flux never prunes it. */
  checkEntryInstance(entry: readonly Manifest[]): void {
    const syncing = entry.filter(
      (m) =>
        m.kind === "FluxInstance" && (m.spec as { sync?: { path?: string } })?.sync?.path === this.entryDir,
    );
    const instance = syncing[0];
    if (syncing.length !== 1 || !instance) {
      this.problem(
        this.entryDir,
        `the entry must contain exactly one FluxInstance syncing ${this.entryDir} (found ${syncing.length}); without it Flux would prune itself`,
      );
      return;
    }
    if (instance.metadata?.annotations?.["kustomize.toolkit.fluxcd.io/prune"] !== "disabled")
      this.problem(this.entryDir, "the FluxInstance must carry kustomize.toolkit.fluxcd.io/prune: disabled");
    // The FluxInstance's sync creates these two objects; they are not files in the tree.
    const ns = instance.metadata?.namespace ?? FLUX_NAMESPACE;
    for (const kind of ["GitRepository", "Kustomization"])
      this.objects.set(key(kind, ns, FLUX_SYNC_NAME), {
        manifest: { apiVersion: "", kind, metadata: { name: FLUX_SYNC_NAME, namespace: ns } },
        dir: this.entryDir,
      });
  }

  /**
   * Breadth-first through Kustomization paths, as kustomize-controller would reach them: the paths of
   * one level are built at once, then recorded in order, so the report does not depend on timing.
   */
  async followKustomizations(entry: readonly Manifest[]): Promise<void> {
    let level = entry.filter((m) => m.kind === "Kustomization");
    while (level.length > 0) {
      const steps = level.map((ks) => this.nextPath(ks));
      const builds = steps.map((step) => (typeof step === "string" ? this.kustomize(step) : undefined));
      const next: Manifest[] = [];
      for (const [i, ks] of level.entries()) {
        const step = steps[i];
        if (step && typeof step !== "string") this.problem(step.file, step.message);
        const build = builds[i];
        if (typeof step === "string" && build)
          next.push(
            ...this.record(step, describe(ks), ks, await build).filter((m) => m.kind === "Kustomization"),
          );
      }
      level = next;
    }
  }

  /** The directory a Kustomization makes Flux apply from this tree, if it is one not yet visited. */
  private nextPath(ks: Manifest): string | GraphProblem | undefined {
    // A Kustomization of another source (a mirrored upstream repository) builds that source, not this tree.
    const source = (ks.spec as { sourceRef?: { kind?: string; name?: string } })?.sourceRef;
    if (source?.kind !== "GitRepository" || source.name !== FLUX_SYNC_NAME) return undefined;
    const rawPath = (ks.spec as { path?: string })?.path ?? "./";
    const dir = normalize(rawPath).replace(/^\.\//, "").replace(/\/$/, "");
    if (dir !== this.entryDir && !dir.startsWith(`${this.entryDir}/`))
      return {
        cluster: this.cluster,
        file: this.entryDir,
        message: `${describe(ks)} path "${rawPath}" is outside ${this.entryDir}`,
      };
    if (this.visited.has(dir)) return undefined;
    this.visited.add(dir);
    return dir;
  }

  /** The references of one object that Flux resolves, each to an object of this cluster's tree. */
  checkReferences(from: Located): void {
    const { manifest } = from;
    const spec = (manifest.spec ?? {}) as Record<string, unknown>;
    const dependsOn = (spec.dependsOn as Ref[] | undefined) ?? [];
    if (manifest.kind === "Kustomization" && manifest.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
      this.resolve(from, "sourceRef", spec.sourceRef as Ref, KUSTOMIZATION_SOURCES);
      for (const d of dependsOn)
        this.resolve(from, "dependsOn", { ...d, kind: "Kustomization" }, ["Kustomization"]);
    }
    if (manifest.kind === "HelmRelease") {
      const chart = spec.chart as { spec?: { sourceRef?: Ref } } | undefined;
      this.resolve(from, "chart.spec.sourceRef", chart?.spec?.sourceRef, SOURCE_KINDS);
      this.resolve(from, "chartRef", spec.chartRef as Ref | undefined, CHART_REF_KINDS);
      if (!chart && !spec.chartRef)
        this.problem(from.dir, `${describe(manifest)} has neither chart nor chartRef`);
      for (const d of dependsOn)
        this.resolve(from, "dependsOn", { ...d, kind: "HelmRelease" }, ["HelmRelease"]);
    }
    if (manifest.kind === "Alert") {
      this.resolve(from, "providerRef", { ...(spec.providerRef as Ref), kind: "Provider" }, ["Provider"]);
      for (const source of (spec.eventSources as Ref[] | undefined) ?? [])
        if (source.name !== "*") this.resolve(from, "eventSources", source, [source.kind]);
    }
  }

  private resolve(from: Located, what: string, ref: Ref | undefined, kinds: readonly string[]): void {
    if (!ref) return;
    const namespace = ref.namespace ?? from.manifest.metadata?.namespace;
    if (!kinds.includes(ref.kind))
      this.problem(from.dir, `${describe(from.manifest)} ${what} has unexpected kind ${ref.kind}`);
    else if (!this.objects.has(key(ref.kind, namespace, ref.name)))
      this.problem(
        from.dir,
        `${describe(from.manifest)} ${what} ${ref.kind} "${namespace}/${ref.name}" does not exist in ${this.entryDir}`,
      );
  }

  /**
   * A directory no Kustomization points at, and that no applied kustomization.yaml includes, is never
   * applied: almost always a mistake.
   */
  checkEveryDirectoryApplied(): void {
    const reached = new Set(this.visited);
    for (const dir of [...this.dirsWithKustomization].sort((a, b) => a.length - b.length)) {
      const parent = dir.slice(0, dir.lastIndexOf("/"));
      if (
        reached.has(parent) &&
        kustomizationResources(this.files, parent).includes(dir.slice(parent.length + 1))
      )
        reached.add(dir);
    }
    for (const dir of this.dirsWithKustomization)
      if ((dir === this.entryDir || dir.startsWith(`${this.entryDir}/`)) && !reached.has(dir))
        this.problem(dir, "no Flux Kustomization points at this directory; Flux never applies it");
  }
}
