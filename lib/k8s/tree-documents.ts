import { parseAllDocuments } from "yaml";
import { deepFreeze } from "../cache/deep-freeze.ts";
import type { Manifest } from "./model-object.ts";

/** One YAML file of a rendered tree, parsed. */
export interface ParsedFile {
  /** Every document's object (null for an empty document), in order. */
  readonly manifests: readonly (Manifest | null)[];
  /** How many YAML documents the file holds. */
  readonly count: number;
  /** The first syntax error, if the file is not valid YAML. */
  readonly error?: string;
}

const parsedTrees = new WeakMap<ReadonlyMap<string, string>, Map<string, ParsedFile & { text: string }>>();

/**
 * A file of `files` parsed once per tree, however many checks read it (schemas, guards, hydration);
 * parsed again only if the tree's text for the path changed since. The objects are frozen: a check
 * that changed one would change what every later check sees.
 */
export function parsedFile(files: ReadonlyMap<string, string>, path: string): ParsedFile {
  let parsed = parsedTrees.get(files);
  if (!parsed) {
    parsed = new Map();
    parsedTrees.set(files, parsed);
  }
  const text = files.get(path) ?? "";
  const known = parsed.get(path);
  if (known?.text === text) return known;
  const file = parsedText(text);
  parsed.set(path, file);
  return file;
}

/**
 * Files parsed by their text, across trees: a copy of a tree with one file changed (a test's, or
 * validate after a hand edit) parses only that file again. The objects are frozen, so sharing them
 * is safe; the cache is dropped whole when it grows past a large estate's files.
 */
const parsedTexts = new Map<string, ParsedFile & { text: string }>();
const PARSED_TEXTS_LIMIT = 50_000;

function parsedText(text: string): ParsedFile & { text: string } {
  const known = parsedTexts.get(text);
  if (known) return known;
  const docs = parseAllDocuments(text);
  const error = docs.find((doc) => doc.errors.length > 0)?.errors[0]?.message;
  const file = {
    text,
    count: docs.length,
    manifests: error ? [] : docs.map((doc) => deepFreeze(doc.toJS() as Manifest | null)),
    ...(error ? { error } : {}),
  };
  if (parsedTexts.size >= PARSED_TEXTS_LIMIT) parsedTexts.clear();
  parsedTexts.set(text, file);
  return file;
}

/**
 * Records that the file at `path` of `files` is `manifest` as written by the caller (synth serialises
 * the objects it holds), so the checks that read the tree next do not parse it again. The object goes
 * through JSON, which drops what YAML drops (undefined fields).
 */
export function rememberParsed(files: ReadonlyMap<string, string>, path: string, manifest: Manifest): void {
  let parsed = parsedTrees.get(files);
  if (!parsed) {
    parsed = new Map();
    parsedTrees.set(files, parsed);
  }
  const text = files.get(path) ?? "";
  parsed.set(path, {
    text,
    count: 1,
    manifests: [deepFreeze(JSON.parse(JSON.stringify(manifest)) as Manifest)],
  });
}

/** The `resources` a directory's kustomization.yaml lists, as written; none when it lists none or is missing. */
export function kustomizationResources(files: ReadonlyMap<string, string>, dir: string): unknown[] {
  const [kustomization] = parsedFile(files, `${dir}/kustomization.yaml`).manifests;
  const resources = (kustomization as { resources?: unknown } | null | undefined)?.resources;
  return Array.isArray(resources) ? resources : [];
}
