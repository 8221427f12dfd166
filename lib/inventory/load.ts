import { readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { EstateError } from "../errors.ts";
import { readEncryptedSecrets } from "../secrets/files.ts";
import type { Estate } from "./model.ts";
import { type ClusterSource, validateEstate } from "./validate.ts";

/** Imports every cluster and catalogue file that `clusters/index.ts` lists and validates the estate. */
export async function loadEstate(root: string): Promise<Estate> {
  const index: { clusterFiles: readonly string[]; catalogueFiles: readonly string[] } = await import(
    pathToFileURL(join(root, "clusters/index.ts")).href
  );
  const clusters = await Promise.all(index.clusterFiles.map((name) => loadDefault(root, name)));
  const catalogue = await Promise.all(index.catalogueFiles.map((name) => loadDefault(root, name)));
  const estate = validateEstate(clusters, catalogue, (path) => readFileSync(join(root, path), "utf8"));
  return { ...estate, secrets: readEncryptedSecrets(root, estate.clusters) };
}

async function loadDefault(root: string, name: string): Promise<ClusterSource> {
  const path = join(root, "clusters", name);
  const file = relative(root, path);
  let module: { default?: unknown };
  try {
    // The version query makes a changed file load anew in a long-lived process (tests, push).
    module = await import(`${pathToFileURL(path).href}?v=${statSync(path).mtimeMs}`);
  } catch (error) {
    throw new EstateError([{ file, message: `cannot be loaded: ${(error as Error).message}` }]);
  }
  if (module.default === undefined) throw new EstateError([{ file, message: "has no default export" }]);
  return { file, input: module.default };
}
