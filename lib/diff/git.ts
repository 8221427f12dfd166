import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
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

/** The commit a ref names; a ref that names none is the user's mistake, said in one line. */
function commitOf(root: string, ref: string): string {
  try {
    return git(root, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
  } catch {
    throw new UnknownRef(ref);
  }
}

/** Every file below `dir` at `ref` with its blob id, from `git ls-tree` alone: no content is read. */
export function listTreeAtRef(root: string, ref: string, dir = "dist"): Map<string, string> {
  const listing = new Map<string, string>();
  for (const line of git(root, "ls-tree", "-r", "-z", commitOf(root, ref), "--", dir).split("\0")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const [, type, id] = line.slice(0, tab).split(" ");
    if (type === "blob") listing.set(line.slice(tab + 1), id as string);
  }
  return listing;
}

/** The contents of these blobs, in order: one `git cat-file --batch` process for all of them. */
export function readBlobs(root: string, ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  const out = execFileSync("git", ["cat-file", "--batch"], {
    cwd: root,
    input: ids.join("\n"),
    maxBuffer: 512 * 1024 * 1024,
  });
  const contents: string[] = [];
  let offset = 0;
  for (const _ of ids) {
    const headerEnd = out.indexOf(10, offset);
    const [, , size] = out.subarray(offset, headerEnd).toString("utf8").split(" ");
    const start = headerEnd + 1;
    const end = start + Number(size);
    contents.push(out.subarray(start, end).toString("utf8"));
    offset = end + 1;
  }
  return contents;
}

/** The id git gives a blob of this content, in the repository's object format (sha1 or sha256). */
export function blobId(content: string, format: string): string {
  const bytes = Buffer.from(content);
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The repository's object format: "sha1", or "sha256" for a repository created with it. */
export function objectFormat(root: string): string {
  return git(root, "rev-parse", "--show-object-format");
}

/** A ref that names no commit here: a user mistake, said in one line. */
export class UnknownRef extends Error {
  constructor(readonly ref: string) {
    super(`"${ref}" is not a commit in this repository (a branch, tag or commit id; try git log --oneline)`);
    this.name = "UnknownRef";
  }
}
