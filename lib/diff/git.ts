import { execFileSync } from "node:child_process";
import { git } from "../git.ts";

/** The merge base of HEAD with the main branch (local `main`, else `origin/main`). */
export function defaultBase(root: string): string {
  for (const main of ["main", "origin/main"]) {
    try {
      return git(root, "merge-base", "HEAD", main);
    } catch {
      // try the next candidate
    }
  }
  throw new Error("no merge base with main or origin/main; pass --base <git-ref>");
}

/**
 * Every file below `dir` as it is at `ref`, read from git's object store: the work tree is never
 * touched. One `git cat-file --batch` process for all files.
 */
export function readTreeAtRef(root: string, ref: string, dir = "dist"): Map<string, string> {
  let commit: string;
  try {
    commit = git(root, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
  } catch {
    throw new UnknownRef(ref);
  }
  const paths = git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", dir)
    .split("\0")
    .filter(Boolean);
  const files = new Map<string, string>();
  if (paths.length === 0) return files;
  const out = Buffer.from(
    execFileSync("git", ["cat-file", "--batch"], {
      cwd: root,
      input: paths.map((p) => `${commit}:${p}`).join("\n"),
      maxBuffer: 512 * 1024 * 1024,
    }),
  );
  let offset = 0;
  for (const path of paths) {
    const headerEnd = out.indexOf(10, offset);
    const [, , size] = out.subarray(offset, headerEnd).toString("utf8").split(" ");
    const start = headerEnd + 1;
    const end = start + Number(size);
    files.set(path, out.subarray(start, end).toString("utf8"));
    offset = end + 1;
  }
  return files;
}

/** A ref that names no commit here: a user mistake, said in one line. */
export class UnknownRef extends Error {
  constructor(readonly ref: string) {
    super(`"${ref}" is not a commit in this repository (a branch, tag or commit id; try git log --oneline)`);
    this.name = "UnknownRef";
  }
}
