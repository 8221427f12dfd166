import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { deepFreeze } from "./deep-freeze.ts";

/** Results already read or worked out in this process, by cache file: each parsed once. */
const inMemory = new Map<string, unknown>();

/**
 * Results of deterministic work (a helm render, a kustomize build, a chart's default values) kept as
 * JSON under `node_modules/.cache/<area>/`, named by a digest of everything that went into them, so
 * the same inputs are never worked out twice and a changed input is never served a stale result.
 * Written to a temporary name and renamed: a parallel run or an interrupted one never reads half a file.
 * A result is frozen and kept for the rest of the process, so the same render asked for by a hundred
 * clusters is parsed once and no reader can change it for the others.
 */
export async function cachedJson<T>(
  root: string,
  area: string,
  inputs: readonly (string | Uint8Array)[],
  compute: () => T | Promise<T>,
): Promise<T> {
  const file = cacheFile(root, area, inputs);
  return known<T>(file) ?? store(file, await compute());
}

/** The same, for work that is not asynchronous (parsing vendored files). */
export function cachedJsonSync<T>(
  root: string,
  area: string,
  inputs: readonly (string | Uint8Array)[],
  compute: () => T,
): T {
  const file = cacheFile(root, area, inputs);
  return known<T>(file) ?? store(file, compute());
}

const cacheFile = (root: string, area: string, inputs: readonly (string | Uint8Array)[]) =>
  join(root, "node_modules/.cache", area, `${digestOf(inputs)}.json`);

/**
 * A cached result, if the file holds one that is whole and belongs to its name: the file carries its
 * key and a checksum of the value. Anything else (truncated, edited, from an older format) is
 * discarded with a note and worked out again, instead of failing every run until deleted by hand.
 */
function known<T>(file: string): T | undefined {
  if (inMemory.has(file)) return inMemory.get(file) as T;
  if (!existsSync(file)) return undefined;
  const key = basename(file, ".json");
  let olderFormat = false;
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as { key?: string; sum?: string; value?: string };
    if (entry.key === key && typeof entry.value === "string" && entry.sum === sumOf(entry.value))
      return remember(file, JSON.parse(entry.value) as T);
    olderFormat = entry.key === undefined;
  } catch {
    // unreadable: discarded below
  }
  rmSync(file, { force: true });
  // an entry from before keys and checksums is replaced without a word
  if (!olderFormat)
    process.stderr.write(
      `cache: discarded ${file} (unreadable, or not what its name says); working it out again\n`,
    );
  return undefined;
}

function store<T>(file: string, result: T): T {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const value = JSON.stringify(result);
  writeFileSync(partial, JSON.stringify({ key: basename(file, ".json"), sum: sumOf(value), value }));
  renameSync(partial, file);
  return remember(file, result);
}

const sumOf = (text: string) => createHash("sha256").update(text).digest("hex");

function remember<T>(file: string, result: T): T {
  inMemory.set(file, deepFreeze(result));
  return result;
}

/** One digest of several inputs; each is length-prefixed, so no two different lists collide. */
export function digestOf(inputs: readonly (string | Uint8Array)[]): string {
  const hash = createHash("sha256");
  for (const input of inputs) {
    const bytes = typeof input === "string" ? Buffer.from(input) : input;
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest("hex").slice(0, 32);
}
