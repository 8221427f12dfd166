import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { runningCodeIdentity } from "./code-identity.ts";
import { digestOf } from "./json-cache.ts";

/** Memo files kept per area: the newest, for switching branches back and forth. */
const KEEP = 16;

/**
 * Results that are a pure function of an object's JSON and of the code that computes them, remembered
 * between processes under `node_modules/.cache/<area>/`, one file per code identity (bin/run.mjs:
 * the bundle and the dependency versions) and extra id: a result worked out by other code is never
 * served. Without a code identity (not started by bin/run.mjs: a test runner) nothing is remembered.
 */
export class CodeMemo<V> {
  private readonly known: Map<string, V>;
  private readonly added = new Map<string, V>();

  private constructor(private readonly file: string | undefined) {
    const stored =
      file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, V>) : {};
    this.known = new Map(Object.entries(stored));
  }

  static open<V>(root: string, area: string, id: readonly string[] = []): CodeMemo<V> {
    const code = runningCodeIdentity();
    if (!code) return new CodeMemo<V>(undefined);
    return new CodeMemo<V>(join(root, "node_modules/.cache", area, `${digestOf([code, ...id])}.json`));
  }

  /** Whether anything is remembered at all (a code identity is known). */
  get enabled(): boolean {
    return this.file !== undefined;
  }

  get(digest: string): V | undefined {
    return this.known.get(digest) ?? this.added.get(digest);
  }

  set(digest: string, value: V): void {
    if (this.file && !this.known.has(digest)) this.added.set(digest, value);
  }

  /** Writes what this run learned (nothing when it learned nothing), and drops the oldest files. */
  save(): void {
    if (!this.file || this.added.size === 0) return;
    const dir = join(this.file, "..");
    mkdirSync(dir, { recursive: true });
    const all = [...this.known, ...this.added].sort(([a], [b]) => (a < b ? -1 : 1));
    const partial = `${this.file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(Object.fromEntries(all)));
    renameSync(partial, this.file);
    for (const old of readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime)
      .slice(KEEP))
      rmSync(old.path, { force: true });
  }
}

/** The digest a result is remembered by: the object's JSON, exactly. */
export function objectDigest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);
}
