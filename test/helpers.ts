import { spawnSync } from "node:child_process";
import { cpSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { loadEstate } from "../lib/inventory/load.ts";
import type { Estate } from "../lib/inventory/model.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { writeDistAtomically } from "../lib/synth/write.ts";
import { tempDir } from "./temp-dirs.ts";

export const REPO = resolve(import.meta.dirname, "..");

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

let defaultRender: Promise<{ estate: Estate; tree: FileTree }> | undefined;

/** The default estate rendered in memory, exactly as `npm run synth` renders it (memoised per worker). */
export function renderDefaultEstate(): Promise<{ estate: Estate; tree: FileTree }> {
  defaultRender ??= (async () => {
    const estate = await loadEstate(REPO);
    return { estate, tree: await synthesize(estate, REPO) };
  })();
  return defaultRender;
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
 * A throw-away repository root: the project's code linked in, `clusters/`, `keys/` and `secrets/` copied so a
 * test can break them, and nothing else. `npm run synth` run there behaves as in the real repository.
 * Removed when the test file ends.
 */
export function sandbox(): string {
  const root = tempDir("estate-");
  for (const linked of ["lib", "charts", "imports", "vendor", "node_modules", "package.json", "main.ts"]) {
    symlinkSync(join(REPO, linked), join(root, linked));
  }
  cpSync(join(REPO, "clusters"), join(root, "clusters"), { recursive: true });
  cpSync(join(REPO, "keys"), join(root, "keys"), { recursive: true });
  cpSync(join(REPO, "secrets"), join(root, "secrets"), { recursive: true });
  return root;
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
