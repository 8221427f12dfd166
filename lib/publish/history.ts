import { execFileSync } from "node:child_process";
import { git } from "../git.ts";
import { credentialInFile, SECRET_NAMES } from "./changes.ts";

/**
 * The commits a push of `commit` would publish: every commit it reaches that no ref of the remote
 * reaches (of the remote's commits, those this repository knows). Pushing a commit publishes its whole
 * history, not only its own change.
 */
export function commitsToPublish(root: string, remote: string, commit: string): string[] {
  const remoteTips = git(root, "ls-remote", remote)
    .split("\n")
    .map((line) => line.split("\t")[0] as string)
    .filter((id) => /^[0-9a-f]{40,64}$/.test(id) && known(root, id));
  const out = git(root, "rev-list", commit, ...(remoteTips.length ? ["--not", ...new Set(remoteTips)] : []));
  return out.split("\n").filter(Boolean);
}

/** Whether a ref exists on the remote: push never updates a branch, not even by fast-forward. */
export function remoteHasBranch(root: string, remote: string, branch: string): boolean {
  return git(root, "ls-remote", "--heads", remote, `refs/heads/${branch}`) !== "";
}

/** Every file each of those commits adds or changes that looks like a credential, by commit and path. */
export function credentialsInHistory(root: string, commits: readonly string[]): string[] {
  const found: string[] = [];
  const blobs: string[] = [];
  for (const commit of commits) {
    const paths = git(
      root,
      "diff-tree",
      "-r",
      "--root",
      "--no-commit-id",
      "--name-only",
      "--diff-filter=AM",
      commit,
    )
      .split("\n")
      .filter(Boolean);
    for (const path of paths) {
      if (SECRET_NAMES.some((re) => re.test(path)))
        found.push(`${commit.slice(0, 12)}:${path} (its name is that of a credential file)`);
      else blobs.push(`${commit}:${path}`);
    }
  }
  for (const [spec, content] of readBlobs(root, blobs)) {
    const [commit = "", path = ""] = [spec.slice(0, spec.indexOf(":")), spec.slice(spec.indexOf(":") + 1)];
    const what = credentialInFile(path, content);
    if (what) found.push(`${commit.slice(0, 12)}:${path} (it holds ${what})`);
  }
  return found;
}

/** Many `<commit>:<path>` blobs in one `git cat-file --batch` (one process, not one per file). */
function readBlobs(root: string, specs: readonly string[]): [string, string][] {
  if (specs.length === 0) return [];
  const out = execFileSync("git", ["cat-file", "--batch"], {
    cwd: root,
    input: `${specs.join("\n")}\n`,
    maxBuffer: 1024 * 1024 * 1024,
  });
  const blobs: [string, string][] = [];
  let at = 0;
  for (const spec of specs) {
    const headerEnd = out.indexOf(10, at);
    const header = out.subarray(at, headerEnd).toString("utf8").split(" ");
    at = headerEnd + 1;
    if (header[1] === "missing") continue;
    const size = Number(header[2]);
    blobs.push([spec, out.subarray(at, at + size).toString("utf8")]);
    at += size + 1;
  }
  return blobs;
}

function known(root: string, id: string): boolean {
  try {
    git(root, "cat-file", "-e", `${id}^{commit}`);
    return true;
  } catch {
    return false;
  }
}
