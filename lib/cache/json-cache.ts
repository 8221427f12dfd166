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
 * A cached result, if the file holds one that is whole and belongs to its name: a first line with its
 * key and the length of the value, then the value. Anything else (truncated, someone else's, from an
 * older format) is discarded and worked out again, with a note unless it is merely older.
 */
function known<T>(file: string): T | undefined {
  if (inMemory.has(file)) return inMemory.get(file) as T;
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  const newline = text.indexOf("\n");
  let olderFormat = false;
  try {
    if (newline < 0)
      olderFormat = JSON.parse(text) !== undefined; // whole JSON, no header: an older entry
    else {
      const header = JSON.parse(text.slice(0, newline)) as { key?: string; length?: number };
      const value = text.slice(newline + 1);
      if (header.key === basename(file, ".json") && header.length === value.length)
        return remember(file, JSON.parse(value) as T);
    }
  } catch {
    // unreadable: discarded below
  }
  rmSync(file, { force: true });
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
  writeFileSync(
    partial,
    `${JSON.stringify({ key: basename(file, ".json"), length: value.length })}\n${value}`,
  );
  renameSync(partial, file);
  return remember(file, result);
}

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
