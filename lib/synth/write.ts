import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { FileTree } from "./tree.ts";

/** Where the writer is in its swap; a kill between any two steps leaves something recoverable. */
export type WriteStep = "locked" | "staged" | "retired" | "swapped" | "cleaned";

export interface WriteReport {
  /** The retired tree an interrupted swap left, put back as dist/ before this run wrote. */
  readonly recovered?: string;
  /** Staging and retired trees of earlier runs that were removed. */
  readonly swept: readonly string[];
  /** The pid of a run that died holding the lock. */
  readonly staleLockOf?: number;
}

/** Another synth holds the lock: a user-facing error, not a crash. */
export class DistLockedError extends Error {
  constructor(readonly pid: number) {
    super(
      `another synth (pid ${pid}) is writing dist/; wait for it to finish (or remove .dist.lock if no such process runs)`,
    );
    this.name = "DistLockedError";
  }
}

/** `.dist.lock` is not synth's lock file (a directory, say): nothing can take it, a person must look. */
export class DistLockUnusableError extends Error {
  constructor(path: string) {
    super(`${path} is not synth's lock file (it is not a regular file); remove it, then run synth again`);
    this.name = "DistLockUnusableError";
  }
}

const LOCK = ".dist.lock";
const STAGING = /^dist\.tmp-\d+$/;
const RETIRED = /^dist\.old-\d+$/;

/**
 * Replaces `<root>/dist` with exactly the given tree, all or nothing, one writer at a time. The tree
 * is written into `dist.tmp-<pid>`, then swapped in with two renames (dist -> dist.old-<pid>,
 * staging -> dist). Killed at any point, it leaves either a complete dist/ (old or new) or a complete
 * dist.old-<pid> without dist/, which the next run (synth or push) puts back first and reports.
 * `onStep` is called after each step (tests kill the process there).
 */
export function writeDistAtomically(
  root: string,
  tree: FileTree,
  options: { onStep?: (step: WriteStep) => void } = {},
): WriteReport {
  const step = options.onStep ?? (() => {});
  const staleLockOf = acquireLock(root);
  try {
    step("locked");
    const { recovered, swept } = recoverDist(root);
    const dist = join(root, "dist");
    const staging = join(root, `dist.tmp-${process.pid}`);
    const retired = join(root, `dist.old-${process.pid}`);
    try {
      writeTree(staging, tree, dist);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    step("staged");
    const hadDist = existsSync(dist);
    try {
      if (hadDist) renameSync(dist, retired);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true }); // dist/ cannot move (a mount point): untouched
      throw error;
    }
    step("retired");
    try {
      renameSync(staging, dist);
    } catch (error) {
      if (hadDist) renameSync(retired, dist);
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    step("swapped");
    rmSync(retired, { recursive: true, force: true });
    step("cleaned");
    return { ...(recovered ? { recovered } : {}), swept, ...(staleLockOf ? { staleLockOf } : {}) };
  } finally {
    rmSync(join(root, LOCK), { force: true });
  }
}

/**
 * Writes the staging tree. A file whose content equals the one in the current dist/ is hard-linked
 * from there instead of written (the swap later replaces dist/ as a whole, so nothing shared is
 * ever modified in place); only changed and new files cost a write.
 */
function writeTree(staging: string, tree: FileTree, current: string): void {
  rmSync(staging, { recursive: true, force: true });
  const made = new Set<string>();
  for (const [path, content] of tree) {
    if (!path.startsWith("dist/")) throw new Error(`refusing to write outside dist/: ${path}`);
    const relativePath = path.slice("dist/".length);
    const target = join(staging, relativePath);
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    if (!linkUnchanged(join(current, relativePath), target, content)) writeFileSync(target, content);
  }
}

function linkUnchanged(existing: string, target: string, content: string): boolean {
  try {
    if (readFileSync(existing, "utf8") !== content) return false;
    linkSync(existing, target);
    return true;
  } catch {
    return false; // no such file yet, or a file system without hard links: write it
  }
}

/**
 * Puts back the retired tree of a swap that was interrupted between its two renames (no dist/, a
 * dist.old-*), and removes staging and retired trees that earlier runs left. Call with the lock held.
 */
export function recoverDist(root: string): { recovered?: string; swept: string[] } {
  const leftovers = readdirSync(root).filter((n) => STAGING.test(n) || RETIRED.test(n));
  let recovered: string | undefined;
  if (!existsSync(join(root, "dist"))) {
    const newest = leftovers
      .filter((n) => RETIRED.test(n))
      .sort((a, b) => statSync(join(root, b)).mtimeMs - statSync(join(root, a)).mtimeMs)[0];
    if (newest) {
      renameSync(join(root, newest), join(root, "dist"));
      recovered = newest;
    }
  }
  const swept = leftovers.filter((n) => n !== recovered);
  for (const name of swept) rmSync(join(root, name), { recursive: true, force: true });
  return { ...(recovered ? { recovered } : {}), swept };
}

/** What an interrupted swap left, for commands that only read dist/ (they say it, they do not fix it). */
export function interruptedSwap(root: string): string | undefined {
  if (existsSync(join(root, "dist"))) return undefined;
  const retired = readdirSync(root).find((n) => RETIRED.test(n));
  return retired
    ? `dist/ is missing: an interrupted synth left it as ${retired}; run \`npm run synth\` to put it back and render`
    : undefined;
}

/** Takes `.dist.lock` (O_EXCL); a lock whose process is gone is taken over and its pid returned. */
function acquireLock(root: string): number | undefined {
  const path = join(root, LOCK);
  let stale: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return stale;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (!statSync(path).isFile()) throw new DistLockUnusableError(LOCK);
    const pid = Number(readFileSync(path, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DistLockedError(pid);
    stale = pid;
    rmSync(path, { force: true });
  }
  throw new DistLockedError(stale ?? 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
