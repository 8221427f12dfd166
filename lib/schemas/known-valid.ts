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
import { runningCodeIdentity } from "../cache/code-identity.ts";
import { digestOf } from "../cache/json-cache.ts";

/** Verdict files kept: the newest, for switching branches back and forth. */
const KEEP = 16;

/**
 * Objects already found schema-valid by exactly this code, these libraries and these compiled CRD
 * validators (a validator is a pure function of them), by the digest of the object's JSON. Checking
 * a known object is then free; in particular a synth does not pay V8's first compile of the large CRD
 * validators when those objects did not change. Only verdicts of "valid" are kept; anything else is
 * checked every time. Without a code identity (not started by bin/run.mjs) nothing is remembered.
 */
export class KnownValid {
  private readonly known: Set<string>;
  private readonly added = new Set<string>();

  private constructor(private readonly file: string | undefined) {
    this.known = new Set(
      file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as string[]) : [],
    );
  }

  static open(root: string, validatorsId: string): KnownValid {
    const code = runningCodeIdentity();
    if (!code) return new KnownValid(undefined);
    return new KnownValid(
      join(root, "node_modules/.cache/schema-verdicts", `${digestOf([code, validatorsId])}.json`),
    );
  }

  has(digest: string): boolean {
    return this.known.has(digest);
  }

  add(digest: string): void {
    if (this.file && !this.known.has(digest)) this.added.add(digest);
  }

  /** Writes what this run learned (nothing when it learned nothing), and drops old verdict files. */
  save(): void {
    if (!this.file || this.added.size === 0) return;
    const dir = join(this.file, "..");
    mkdirSync(dir, { recursive: true });
    const partial = `${this.file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify([...this.known, ...this.added].sort()));
    renameSync(partial, this.file);
    for (const old of readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime)
      .slice(KEEP))
      rmSync(old.path, { force: true });
  }
}

/** The digest a verdict is remembered by: the object exactly as the validator sees it. */
export function objectDigest(manifest: unknown): string {
  return createHash("sha256").update(JSON.stringify(manifest)).digest("hex").slice(0, 32);
}
