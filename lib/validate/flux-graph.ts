import { join, normalize } from "node:path";
import { parse } from "yaml";
import { FLUX_NAMESPACE, FLUX_SYNC_NAME } from "../flux/constants.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { clusterPath } from "../paths.ts";
import { kustomizeObjects } from "./kubectl.ts";

export interface GraphProblem {
  readonly cluster: string;
  readonly file: string;
  readonly message: string;
}

/** One directory as Flux applies it: the Kustomization (or FluxInstance) that points at it, and its build. */
export interface AppliedPath {
  readonly dir: string;
  readonly appliedBy: string;
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
  const entryDir = clusterPath(cluster);
  const problems: GraphProblem[] = [];
  const applied: AppliedPath[] = [];
  const objects = new Map<string, { manifest: Manifest; dir: string }>();
  const listedIn = (dir: string): string[] =>
    (parse(files.get(`${dir}/kustomization.yaml`) ?? "")?.resources as string[] | undefined) ?? [];
  const dirsWithKustomization = new Set(
    [...files.keys()]
      .filter((f) => f.endsWith("/kustomization.yaml"))
      .map((f) => f.slice(0, -"/kustomization.yaml".length)),
  );

  const build = async (dir: string, appliedBy: string): Promise<Manifest[]> => {
    if (!dirsWithKustomization.has(dir)) {
      problems.push({
        cluster,
        file: dir,
        message: `${appliedBy} points at ${dir}, which has no kustomization.yaml`,
      });
      return [];
    }
    try {
      const manifests = await kustomizeObjects(root, kubectl, dir, files);
      applied.push({ dir, appliedBy, objects: manifests });
      for (const manifest of manifests) {
        objects.set(key(manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name ?? ""), {
          manifest,
          dir,
        });
      }
      return manifests;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      problems.push({ cluster, file: dir, message: `kustomize build failed: ${stderr}` });
      return [];
    }
  };

  const entry = await build(entryDir, "the cluster's Flux (FluxInstance sync)");
  const instances = entry.filter((m) => m.kind === "FluxInstance");
  const syncing = instances.filter((m) => (m.spec as { sync?: { path?: string } })?.sync?.path === entryDir);
  if (syncing.length !== 1) {
    problems.push({
      cluster,
      file: entryDir,
      message: `the entry must contain exactly one FluxInstance syncing ${entryDir} (found ${syncing.length}); without it Flux would prune itself`,
    });
  } else {
    const instance = syncing[0] as Manifest;
    if (instance.metadata?.annotations?.["kustomize.toolkit.fluxcd.io/prune"] !== "disabled") {
      problems.push({
        cluster,
        file: entryDir,
        message: "the FluxInstance must carry kustomize.toolkit.fluxcd.io/prune: disabled",
      });
    }
    // The FluxInstance's sync creates these two objects; they are not files in the tree.
    const ns = instance.metadata?.namespace ?? FLUX_NAMESPACE;
    const synthetic = { apiVersion: "", kind: "", metadata: { name: FLUX_SYNC_NAME, namespace: ns } };
    objects.set(key("GitRepository", ns, FLUX_SYNC_NAME), {
      manifest: { ...synthetic, kind: "GitRepository" },
      dir: entryDir,
    });
    objects.set(key("Kustomization", ns, FLUX_SYNC_NAME), {
      manifest: { ...synthetic, kind: "Kustomization" },
      dir: entryDir,
    });
  }

  // Breadth-first through Kustomization paths, as kustomize-controller would reach them.
  const visited = new Set([entryDir]);
  const queue = entry.filter((m) => m.kind === "Kustomization");
  while (queue.length > 0) {
    const ks = queue.shift() as Manifest;
    // A Kustomization of another source (a mirrored upstream repository) builds that source, not this tree.
    const source = (ks.spec as { sourceRef?: { kind?: string; name?: string } })?.sourceRef;
    if (source?.kind !== "GitRepository" || source.name !== FLUX_SYNC_NAME) continue;
    const rawPath = (ks.spec as { path?: string })?.path ?? "./";
    const dir = normalize(rawPath).replace(/^\.\//, "").replace(/\/$/, "");
    if (dir !== entryDir && !dir.startsWith(`${entryDir}/`)) {
      problems.push({
        cluster,
        file: entryDir,
        message: `${describe(ks)} path "${rawPath}" is outside ${entryDir}`,
      });
      continue;
    }
    if (visited.has(dir)) continue;
    visited.add(dir);
    queue.push(...(await build(dir, describe(ks))).filter((m) => m.kind === "Kustomization"));
  }

  const resolve = (
    from: { manifest: Manifest; dir: string },
    what: string,
    ref: Ref | undefined,
    kinds: string[],
  ) => {
    if (!ref) return;
    const namespace = ref.namespace ?? from.manifest.metadata?.namespace;
    if (!kinds.includes(ref.kind)) {
      problems.push({
        cluster,
        file: from.dir,
        message: `${describe(from.manifest)} ${what} has unexpected kind ${ref.kind}`,
      });
    } else if (!objects.has(key(ref.kind, namespace, ref.name))) {
      problems.push({
        cluster,
        file: from.dir,
        message: `${describe(from.manifest)} ${what} ${ref.kind} "${namespace}/${ref.name}" does not exist in ${entryDir}`,
      });
    }
  };
  const sourceKinds = [
    "GitRepository",
    "OCIRepository",
    "Bucket",
    "HelmRepository",
    "HelmChart",
    "ExternalArtifact",
  ];
  for (const entryObject of objects.values()) {
    const { manifest } = entryObject;
    const spec = (manifest.spec ?? {}) as Record<string, unknown>;
    const dependsOn = (spec.dependsOn as Ref[] | undefined) ?? [];
    if (manifest.kind === "Kustomization" && manifest.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
      resolve(entryObject, "sourceRef", spec.sourceRef as Ref, [
        "GitRepository",
        "OCIRepository",
        "Bucket",
        "ExternalArtifact",
      ]);
      for (const d of dependsOn)
        resolve(entryObject, "dependsOn", { ...d, kind: "Kustomization" }, ["Kustomization"]);
    }
    if (manifest.kind === "HelmRelease") {
      const chart = spec.chart as { spec?: { sourceRef?: Ref } } | undefined;
      resolve(entryObject, "chart.spec.sourceRef", chart?.spec?.sourceRef, sourceKinds);
      resolve(entryObject, "chartRef", spec.chartRef as Ref | undefined, [
        "OCIRepository",
        "HelmChart",
        "ExternalArtifact",
      ]);
      if (!chart && !spec.chartRef) {
        problems.push({
          cluster,
          file: entryObject.dir,
          message: `${describe(manifest)} has neither chart nor chartRef`,
        });
      }
      for (const d of dependsOn)
        resolve(entryObject, "dependsOn", { ...d, kind: "HelmRelease" }, ["HelmRelease"]);
    }
    if (manifest.kind === "Alert") {
      resolve(entryObject, "providerRef", { ...(spec.providerRef as Ref), kind: "Provider" }, ["Provider"]);
      for (const source of (spec.eventSources as Ref[] | undefined) ?? []) {
        if (source.name !== "*") resolve(entryObject, "eventSources", source, [source.kind]);
      }
    }
  }

  // A directory no Kustomization points at, and that no applied kustomization.yaml includes, is never
  // applied: almost always a mistake.
  const reached = new Set(visited);
  for (const dir of [...dirsWithKustomization].sort((a, b) => a.length - b.length)) {
    const parent = dir.slice(0, dir.lastIndexOf("/"));
    if (reached.has(parent) && listedIn(parent).includes(dir.slice(parent.length + 1))) reached.add(dir);
  }
  for (const dir of dirsWithKustomization) {
    if ((dir === entryDir || dir.startsWith(`${entryDir}/`)) && !reached.has(dir)) {
      problems.push({
        cluster,
        file: dir,
        message: "no Flux Kustomization points at this directory; Flux never applies it",
      });
    }
  }
  return { cluster, applied, problems };
}
