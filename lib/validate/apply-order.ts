import { FLUX_SYNC_NAME } from "../flux/constants.ts";
import type { HydratedObject, RenderedRelease } from "../hydrate/index.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { isClusterScoped } from "../k8s/scope.ts";
import { FLUX_NAMESPACE } from "../platform.ts";
import type { ClusterGraph } from "./flux-graph.ts";

/** One Flux apply: a Kustomization (or the FluxInstance's sync of the entry) and what it applies. */
interface Apply {
  readonly id: string;
  /** Where the Kustomization object is (or the entry), for the report. */
  readonly file: string;
  readonly dependsOn: readonly string[];
  readonly objects: Manifest[];
  /** The apply whose objects include this Kustomization. */
  appliedBy?: string;
}

const ENTRY_ID = `${FLUX_NAMESPACE}/${FLUX_SYNC_NAME}`;
const isFluxKustomization = (m: Manifest) =>
  m.kind === "Kustomization" && m.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/");
const idOf = (m: Manifest) => `${m.metadata?.namespace ?? FLUX_NAMESPACE}/${m.metadata?.name}`;

/**
 * Every namespaced object Flux applies must find its namespace already there, or server-side apply
 * fails (`namespaces "…" not found`) on every retry. A namespace is there when the same apply creates
 * it (kustomize-controller applies Namespaces and CRDs in a first stage), when an apply that comes
 * first creates it (the one that applied this Kustomization, one it `dependsOn`, and theirs in turn),
 * or when it exists before Flux (`before`: the API server's own, the bootstrap's). Chart objects are
 * judged at their HelmRelease's apply, where `install.createNamespace` adds the release namespace.
 */
export function checkApplyOrder(
  graph: ClusterGraph,
  hydrated: readonly HydratedObject[],
  releases: readonly RenderedRelease[],
  before: readonly string[],
): string[] {
  const applies = appliesOf(graph, hydrated);
  const available = availableNamespaces(applies, new Set(before));
  const problems = dependencyCycles(applies).map(
    (cycle) =>
      `${applies.get(cycle[0] as string)?.file}: cluster "${graph.cluster}": Kustomizations depend on each other in a cycle (${cycle.join(" -> ")}); Flux never applies any of them`,
  );
  for (const apply of applies.values()) {
    const missing = new Map<string, string[]>();
    const need = (namespace: string, what: string) => {
      if (available(apply.id).has(namespace)) return;
      missing.set(namespace, [...(missing.get(namespace) ?? []), what]);
    };
    for (const m of apply.objects) {
      if (m.metadata?.namespace) need(m.metadata.namespace, describe(m));
      if (m.kind === "HelmRelease") checkRelease(m, releases, need);
    }
    for (const [namespace, objects] of missing)
      problems.push(
        `${apply.file}: cluster "${graph.cluster}": Kustomization ${apply.id} applies ${objects.length} object(s) into namespace "${namespace}" (${objects.slice(0, 3).join(", ")}${objects.length > 3 ? ", …" : ""}), which no apply before it creates${creatorNote(applies, apply.id, namespace)}`,
      );
  }
  return problems;
}

function describe(m: Manifest): string {
  return `${m.kind} ${m.metadata?.name}`;
}

/** The chart's namespaced objects go where helm-controller puts them; helm creates no namespace unasked. */
function checkRelease(
  hr: Manifest,
  releases: readonly RenderedRelease[],
  need: (namespace: string, what: string) => void,
): void {
  const release = releases.find(
    (r) => r.target.name === hr.metadata?.name && r.target.namespace === hr.metadata?.namespace,
  );
  if (!release) return;
  const spec = (hr.spec ?? {}) as { install?: { createNamespace?: boolean }; storageNamespace?: string };
  const created = new Set(release.objects.filter((m) => m.kind === "Namespace").map((m) => m.metadata?.name));
  if (spec.install?.createNamespace) created.add(release.target.targetNamespace);
  const via = `HelmRelease ${hr.metadata?.name}`;
  if (!created.has(release.target.targetNamespace)) need(release.target.targetNamespace, `${via} (release)`);
  if (spec.storageNamespace && !created.has(spec.storageNamespace))
    need(spec.storageNamespace, `${via} (storage)`);
  for (const m of release.objects) {
    const namespace = m.metadata?.namespace;
    if (namespace && !created.has(namespace)) need(namespace, `${m.kind} ${m.metadata?.name} of ${via}`);
  }
}

/**
 * Each apply of the cluster with its objects: the entry, every tree path, every Git-mirrored build.
 * The graph lists paths breadth-first, so a Kustomization is known before the path it applies.
 */
function appliesOf(graph: ClusterGraph, hydrated: readonly HydratedObject[]): Map<string, Apply> {
  const entryDir = graph.applied[0]?.dir ?? `dist/clusters/${graph.cluster}`;
  const applies = new Map<string, Apply>([
    [ENTRY_ID, { id: ENTRY_ID, file: entryDir, dependsOn: [], objects: [] }],
  ]);
  for (const path of graph.applied) {
    const apply = applies.get(path.kustomization ? idOf(path.kustomization) : ENTRY_ID);
    if (!apply) continue;
    const target = (path.kustomization?.spec as { targetNamespace?: string } | undefined)?.targetNamespace;
    for (const m of path.objects) {
      apply.objects.push(target ? inNamespace(m, target) : m);
      if (isFluxKustomization(m))
        applies.set(idOf(m), {
          id: idOf(m),
          file: path.dir,
          dependsOn: dependenciesOf(m),
          objects: [],
          appliedBy: apply.id,
        });
    }
  }
  for (const o of hydrated)
    if (o.cluster === graph.cluster && o.origin.startsWith("git "))
      applies.get(`${FLUX_NAMESPACE}/${o.origin.slice("git ".length)}`)?.objects.push(o.manifest);
  return applies;
}

function dependenciesOf(kustomization: Manifest): string[] {
  const dependsOn = (kustomization.spec as { dependsOn?: { name: string; namespace?: string }[] })?.dependsOn;
  const namespace = kustomization.metadata?.namespace ?? FLUX_NAMESPACE;
  return (dependsOn ?? []).map((d) => `${d.namespace ?? namespace}/${d.name}`);
}

function inNamespace(m: Manifest, namespace: string): Manifest {
  if (isClusterScoped(m.apiVersion, m.kind) || m.kind === "Namespace") return m;
  return { ...m, metadata: { ...m.metadata, namespace } };
}

/** Namespaces present when an apply runs, memoised; a dependsOn cycle adds nothing (Flux never starts it). */
function availableNamespaces(
  applies: ReadonlyMap<string, Apply>,
  before: ReadonlySet<string>,
): (id: string) => ReadonlySet<string> {
  const memo = new Map<string, Set<string>>();
  const visiting = new Set<string>();
  const of = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const result = new Set(before);
    const apply = applies.get(id);
    if (!apply || visiting.has(id)) return result;
    visiting.add(id);
    for (const m of apply.objects)
      if (m.kind === "Namespace" && m.metadata?.name) result.add(m.metadata.name);
    for (const earlier of [...(apply.appliedBy ? [apply.appliedBy] : []), ...apply.dependsOn])
      for (const ns of of(earlier)) result.add(ns);
    visiting.delete(id);
    memo.set(id, result);
    return result;
  };
  return of;
}

/** Each dependsOn cycle once, as the ids along it, starting from its first id in the cluster's order. */
function dependencyCycles(applies: ReadonlyMap<string, Apply>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (id: string, trail: string[]) => {
    const at = trail.indexOf(id);
    if (at >= 0) return void cycles.push([...trail.slice(at), id]);
    if (done.has(id)) return;
    for (const next of applies.get(id)?.dependsOn ?? []) visit(next, [...trail, id]);
    done.add(id);
  };
  for (const id of applies.keys()) visit(id, []);
  return cycles;
}

/** Where the namespace is created instead, so the fix (a dependsOn, or moving the Namespace) is obvious. */
function creatorNote(applies: ReadonlyMap<string, Apply>, id: string, namespace: string): string {
  const creators = [...applies.values()]
    .filter(
      (a) => a.id !== id && a.objects.some((m) => m.kind === "Namespace" && m.metadata?.name === namespace),
    )
    .map((a) => a.id);
  if (creators.length === 0) return "; nothing in the cluster creates it";
  return `; it is created by Kustomization ${creators.join(", ")}, which is not applied before it (add a dependsOn, or create the namespace earlier)`;
}
