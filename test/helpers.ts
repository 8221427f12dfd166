import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import type { CommandMain } from "../lib/cli/command.ts";
import { loadEstate } from "../lib/estate/load.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { writeDistAtomically } from "../lib/synth/write.ts";
import { sharedTempDir, tempDir } from "./temp-dirs.ts";

export const REPO = resolve(import.meta.dirname, "..");

/** What a command printed and returned, run in-process (as `runCommand` reports a process). */
export interface CommandRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command's `main` in this process, in `cwd`, capturing what it prints. */
export async function runMain(main: CommandMain, args: readonly string[], cwd: string): Promise<CommandRun> {
  let stdout = "";
  let stderr = "";
  const status = await main(args, {
    cwd,
    log: (line) => (stdout += `${line}\n`),
    error: (line) => (stderr += `${line}\n`),
    write: (text) => (stdout += text),
  });
  return { status, stdout, stderr };
}

/**
 * Runs a command the way its npm script does (`node bin/run.mjs <file>`), in `cwd`: a real process
 * with the real launcher, its exit status and output.
 */
export function runCommand(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(REPO, "bin/run.mjs"), file, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

/** One object of the rendered tree, with where Flux finds it. */
export interface TreeObject {
  readonly path: string;
  readonly cluster: string;
  /** "entry" for the cluster directory itself, else the layer directory name. */
  readonly layer: string;
  readonly manifest: Manifest;
}

/**
 * The frozen fixture estate (`test/fixtures/estate/`: clusters, keys and secrets as the estate stood
 * when it was frozen). Tests that are not about the real inventory use it, so a promotion or a new
 * workload in `clusters/` changes no test; the real estate is proven by `npm run validate` (part of
 * `npm test`) and CI's check that `dist/` is current. Refresh it (copy `clusters/`, `keys/`,
 * `secrets/` over it) only when the inventory's schema changes, and review what the tests then say.
 */
export const FIXTURE = join(REPO, "test/fixtures/estate");

let fixtureRender: Promise<{ estate: Estate; tree: FileTree; root: string }> | undefined;

/**
 * The fixture estate rendered in memory, exactly as `npm run synth` renders it: once per worker, for
 * every test file it runs (its sandbox lives until the run ends).
 */
export async function renderFixtureEstate(): Promise<{ estate: Estate; tree: FileTree; root: string }> {
  fixtureRender ??= (async () => {
    const root = sandbox(sharedTempDir("fixture-"));
    const estate = await loadEstate(root, PLATFORM_COMPONENTS);
    fixtureAsLoaded = JSON.stringify(estate);
    return { estate, tree: await synthesize(estate, root, buildCluster), root };
  })();
  const { estate, tree, root } = await fixtureRender;
  return { estate, tree: new Map(tree), root };
}
let fixtureAsLoaded: string | undefined;

/**
 * Fails the test file that changed the shared fixture estate (run after each file by
 * remove-temp-dirs.ts): the next file of the worker would see the change. Edit a copy (withClusters).
 */
export async function expectFixtureUnchanged(): Promise<void> {
  if (!fixtureRender || fixtureAsLoaded === undefined) return;
  const { estate } = await fixtureRender;
  if (JSON.stringify(estate) !== fixtureAsLoaded)
    throw new Error("this test file changed the shared fixture estate; edit a copy (withClusters)");
}

export function objectsOf(tree: FileTree): TreeObject[] {
  return [...tree.entries()]
    .filter(([path]) => path.startsWith("dist/clusters/") && !path.endsWith("/kustomization.yaml"))
    .map(([path, content]) => {
      const parts = path.split("/");
      return {
        path,
        cluster: parts[2] as string,
        layer: parts.length === 4 ? "entry" : (parts[3] as string),
        manifest: parse(content) as Manifest,
      };
    });
}

/** Objects of a cluster by kind and name, and by namespace when one is given. */
export function find(
  objects: readonly TreeObject[],
  cluster: string,
  kind: string,
  name: string,
  namespace?: string,
): TreeObject[] {
  return objects.filter(
    (o) =>
      o.cluster === cluster &&
      o.manifest.kind === kind &&
      o.manifest.metadata?.name === name &&
      (namespace === undefined || o.manifest.metadata?.namespace === namespace),
  );
}

/**
 * A throw-away repository root: the project's code linked in, the fixture estate's `clusters/`, `keys/`
 * and `secrets/` copied so a test can break them, and nothing else. `npm run synth` run there behaves
 * as in the real repository. Removed when the test file ends.
 */
export function sandbox(dir = tempDir("estate-")): string {
  for (const linked of [...SANDBOX_LINKS, "node_modules"]) symlinkSync(join(REPO, linked), join(dir, linked));
  return withFixtureInventory(dir);
}

/**
 * A sandbox whose node_modules is the repository's, except that the cache areas `own` start empty and
 * stay in the sandbox: for tests of what is remembered between processes, which must neither write
 * into the repository's cache nor find it filled (every other area is shared, renders included).
 */
export function sandboxWithOwnCache(own: readonly string[], dir = tempDir("estate-")): string {
  for (const linked of SANDBOX_LINKS) symlinkSync(join(REPO, linked), join(dir, linked));
  mkdirSync(join(dir, "node_modules/.cache"), { recursive: true });
  for (const entry of readdirSync(join(REPO, "node_modules")).filter((e) => e !== ".cache"))
    symlinkSync(join(REPO, "node_modules", entry), join(dir, "node_modules", entry));
  const cache = join(REPO, "node_modules/.cache");
  mkdirSync(cache, { recursive: true });
  for (const area of readdirSync(cache).filter((a) => !own.includes(a)))
    symlinkSync(join(cache, area), join(dir, "node_modules/.cache", area));
  return withFixtureInventory(dir);
}

const SANDBOX_LINKS = ["lib", "charts", "imports", "vendor", "package.json", "main.ts"];

function withFixtureInventory(dir: string): string {
  for (const copied of ["clusters", "keys", "secrets"])
    cpSync(join(FIXTURE, copied), join(dir, copied), { recursive: true });
  return dir;
}

/** A sandbox with the given tree written as its dist/. */
export function sandboxWithDist(tree: FileTree): string {
  const root = sandbox();
  writeDistAtomically(root, tree);
  return root;
}

/** An object's spec, loosely typed for assertions (undefined objects give an empty spec). */
export function specOf(object: TreeObject | undefined): any {
  return object?.manifest.spec ?? {};
}

/**
 * The estate with the clusters `which` selects changed by `change` (an object edit of the loaded
 * inventory), every placement pointing at the changed cluster.
 */
export function withClusters(
  estate: Estate,
  which: (cluster: Cluster) => boolean,
  change: (cluster: Cluster) => Cluster,
): Estate {
  const clusters = estate.clusters.map((c) => (which(c) ? change(c) : c));
  const byName = new Map(clusters.map((c) => [c.name, c]));
  return {
    ...estate,
    clusters,
    placements: estate.placements.map((p) => ({ ...p, cluster: byName.get(p.cluster.name) ?? p.cluster })),
  };
}
