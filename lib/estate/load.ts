import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { EstateError } from "../errors.ts";
import type { PinnedComponent } from "../inventory/component.ts";
import type { Estate } from "../inventory/model.ts";
import { readEncryptedSecrets } from "../secrets/files.ts";
import { type LoadWatchdog, startLoadWatchdog } from "./load-watchdog.ts";
import { type ClusterSource, validateEstate } from "./validate.ts";

/**
 * Imports every cluster and catalogue file that `clusters/index.ts` lists and validates the estate,
 * with the platform components the command entry hands in (charts/components/).
 */
export async function loadEstate(root: string, components: readonly PinnedComponent[]): Promise<Estate> {
  return estateFromSources(root, await loadSources(root), components);
}

/** What the inventory files export, each with its file, before any validation. */
export interface EstateSources {
  readonly clusters: readonly ClusterSource[];
  readonly catalogue: readonly ClusterSource[];
}

/** Imports every cluster and catalogue file that `clusters/index.ts` lists, as written. */
export async function loadSources(root: string): Promise<EstateSources> {
  // A file that blocks the process is named by the watchdog, a little after one that awaits forever
  // is named here (withinLoadLimit), so that the gentler message wins where both could.
  const watchdog = startLoadWatchdog(loadLimitMs() + 1000);
  try {
    const listed = await loadIndex(root, watchdog);
    checkAllListed(root, listed);
    // One at a time, so the watchdog knows which file is loading.
    const clusters: ClusterSource[] = [];
    for (const name of listed.clusterFiles) clusters.push(await loadDefault(root, name, watchdog));
    const catalogue: ClusterSource[] = [];
    for (const name of listed.catalogueFiles) catalogue.push(await loadDefault(root, name, watchdog));
    return { clusters, catalogue };
  } finally {
    watchdog.stop();
  }
}

/** The estate the sources define, validated; keys and encrypted Secrets are read from `root`. */
export function estateFromSources(
  root: string,
  sources: EstateSources,
  components: readonly PinnedComponent[],
): Estate {
  const estate = validateEstate(
    sources.clusters,
    sources.catalogue,
    (path) => readFileSync(join(root, path), "utf8"),
    components,
  );
  return { ...estate, secrets: readEncryptedSecrets(root, estate.clusters) };
}

async function loadIndex(
  root: string,
  watchdog: LoadWatchdog,
): Promise<{ clusterFiles: readonly string[]; catalogueFiles: readonly string[] }> {
  const indexPath = join(root, "clusters/index.ts");
  let index: { clusterFiles?: readonly string[]; catalogueFiles?: readonly string[] };
  try {
    watchdog.loading("clusters/index.ts");
    index = await import(pathToFileURL(indexPath).href);
  } catch (error) {
    throw new EstateError([loadFailure(error as Error, indexPath, "clusters/index.ts")]);
  }
  if (!Array.isArray(index.clusterFiles) || !Array.isArray(index.catalogueFiles))
    throw new EstateError([
      {
        file: "clusters/index.ts",
        message: "must export clusterFiles and catalogueFiles, each a list of file names",
      },
    ]);
  return { clusterFiles: index.clusterFiles, catalogueFiles: index.catalogueFiles };
}

async function loadDefault(root: string, name: string, watchdog: LoadWatchdog): Promise<ClusterSource> {
  const path = join(root, "clusters", name);
  const file = relative(root, path);
  let module: { default?: unknown };
  try {
    watchdog.loading(file);
    // The version query makes a changed file load anew in a long-lived process (tests, push).
    module = await withinLoadLimit(import(`${pathToFileURL(path).href}?v=${statSync(path).mtimeMs}`), file);
  } catch (error) {
    if (error instanceof EstateError) throw error;
    throw new EstateError([loadFailure(error as Error, path, file)]);
  }
  if (module.default === undefined) throw new EstateError([{ file, message: "has no default export" }]);
  return { file, input: module.default };
}

/** How long an inventory file may take to load: they are data, a few milliseconds each (tests shorten it). */
const loadLimitMs = () => Number(process.env.ESTATE_LOAD_LIMIT_MS ?? 20_000);

/**
 * A file whose loading never settles (a top-level await on something that never comes) is named
 * instead of hanging synth in silence. A synchronous endless loop blocks the process itself: the
 * watchdog (load-watchdog.ts) names that one.
 */
class LoadTimeout extends Error {
  constructor(ms: number) {
    super(`did not finish loading within ${ms / 1000} s (a top-level await that never settles?)`);
  }
}

async function withinLoadLimit<T>(loading: Promise<T>, file: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ms = loadLimitMs();
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LoadTimeout(ms)), ms);
  });
  try {
    return await Promise.race([loading, limit]);
  } catch (error) {
    if (!(error instanceof LoadTimeout)) throw error; // a load failure: named by loadFailure
    throw new EstateError([{ file, message: `cannot be loaded: ${error.message}` }]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Why a file does not load, at the line Node points to with the source it quotes (a syntax error,
 * TypeScript that Node cannot strip, an import that does not exist), else Node's message alone.
 */
function loadFailure(error: Error, path: string, file: string): { file: string; message: string } {
  const [header, ...rest] = (error.stack ?? "").split("\n");
  const at = header?.match(/^file:\/\/.*:(\d+)$/);
  if (!at || !header?.startsWith(pathToFileURL(path).href))
    return { file, message: `cannot be loaded: ${error.message}` };
  const end = rest.findIndex((line) => /^(\w*Error|$)/.test(line));
  const quoted = end < 0 ? rest : rest.slice(0, end);
  const source = quoted.map((line) => `\n    ${line}`).join("");
  return { file: `${file}:${at[1]}`, message: `cannot be loaded: ${error.message}${source}` };
}

/**
 * A cluster or catalogue file that clusters/index.ts does not list would be ignored in silence: refuse
 * it. Catalogue helpers (files without a defineWorkload call) are not catalogue files.
 */
function checkAllListed(
  root: string,
  index: { clusterFiles: readonly string[]; catalogueFiles: readonly string[] },
) {
  const dir = join(root, "clusters");
  const unlisted = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && !index.clusterFiles.includes(f))
      .map((f) => ({ file: `clusters/${f}`, list: "clusterFiles" })),
    ...(existsSync(join(dir, "catalogue")) ? readdirSync(join(dir, "catalogue")) : [])
      .map((f) => `catalogue/${f}`)
      .filter((f) => f.endsWith(".ts") && !index.catalogueFiles.includes(f))
      .filter((f) => readFileSync(join(dir, f), "utf8").includes("defineWorkload("))
      .map((f) => ({ file: `clusters/${f}`, list: "catalogueFiles" })),
  ];
  if (unlisted.length > 0)
    throw new EstateError(
      unlisted.map(({ file, list }) => ({
        file,
        message: `is not listed in clusters/index.ts (${list}), so synth would ignore it: add it there, or remove the file`,
      })),
    );
}
