import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EstateError } from "../errors.ts";
import { loadEstate } from "../estate/load.ts";
import { git, gitWithIndex } from "../git.ts";
import { staleFiles } from "../synth/cli.ts";
import type { Platform } from "../synth/render.ts";
import { validateDist } from "../validate/index.ts";
import { changedPaths, PUBLISHED_PATHS, secretLookingFiles, unrelatedChanges } from "./changes.ts";
import { commitsToPublish, credentialsInHistory, remoteHasBranch } from "./history.ts";

export interface PushOptions {
  readonly root: string;
  /** The estate's charts and components (charts/index.ts), to check that dist/ is what synth renders. */
  readonly platform: Platform;
  /** Defaults to the Git URL in the inventory (all clusters must agree). */
  readonly remote?: string;
  /** Defaults to `estate/<tree hash>`: the same sources always land on the same branch name. */
  readonly branch?: string;
  readonly message?: string;
}

export class PushRefused extends Error {}

const list = (items: readonly string[]) =>
  items
    .slice(0, 10)
    .map((i) => `  ${i}`)
    .join("\n") + (items.length > 10 ? `\n  … and ${items.length - 10} more` : "");

/** Refuses unless the change is only the estate and holds nothing credential-like (the quick checks). */
async function checkChange(
  root: string,
  platform: Platform,
): Promise<{ estate: Awaited<ReturnType<typeof loadEstate>> }> {
  const changed = changedPaths(root);
  const unrelated = unrelatedChanges(changed);
  if (unrelated.length > 0)
    throw new PushRefused(
      `the work tree has changes push does not publish (it publishes ${PUBLISHED_PATHS.join("/, ")}/ only); commit, stash or ignore them first:\n${list(unrelated)}`,
    );
  const secrets = secretLookingFiles(root, changed);
  if (secrets.length > 0)
    throw new PushRefused(
      `the change holds files that look like credentials; remove them (use \`npm run secrets -- set\` for a Secret):\n${list(secrets)}`,
    );
  return { estate: await loadEstate(root, platform.components) };
}

/** Refuses unless dist/ is what synth renders, and valid (the slow checks, run last). */
async function checkDist(root: string, platform: Platform): Promise<void> {
  const stale = await staleFiles(root, platform);
  if (stale.length > 0)
    throw new PushRefused(
      `dist/ is stale (${stale.length} file(s) differ from what synth renders, e.g. ${stale[0]}): run npm run synth, review, then push`,
    );
  const report = await validateDist(root, platform.components);
  if (report.problems.length > 0) throw new PushRefused(`dist/ is invalid:\n${report.problems.join("\n")}`);
}

/** A commit of HEAD plus the published paths as they are in the work tree, built in a private index. */
function commitEstate(root: string, message: string): { commit: string; tree: string } {
  const dir = mkdtempSync(join(tmpdir(), "estate-index-"));
  const index = join(dir, "index");
  try {
    gitWithIndex(root, index, "read-tree", "HEAD");
    gitWithIndex(root, index, "add", "-A", "--", ...PUBLISHED_PATHS);
    const tree = gitWithIndex(root, index, "write-tree");
    if (tree === git(root, "rev-parse", "HEAD^{tree}"))
      throw new PushRefused("nothing to publish: dist/ and its sources are as HEAD has them");
    return { commit: git(root, "commit-tree", tree, "-p", "HEAD", "-m", message), tree };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Publishes the estate as one commit on a new branch, without touching the user's branch, index or
 * work tree: refuses unrelated changes, credential-looking files, a stale or invalid dist/; commits
 * only dist/, clusters/, secrets/ and keys/ on top of HEAD; creates the branch only if it does not
 * exist (never resets one); pushes without force. When the push fails, the branch it created is
 * removed again and the user is where they were.
 */
export async function pushEstate(
  options: PushOptions,
): Promise<{ branch: string; remote: string; commit: string }> {
  const { root } = options;
  const { estate } = await checkChange(root, options.platform);
  const urls = [...new Set(estate.clusters.map((c) => c.git.url))];
  const remote = options.remote ?? (urls.length === 1 ? (urls[0] as string) : undefined);
  if (!remote) throw new PushRefused(`the clusters use ${urls.length} Git URLs; pass --remote`);

  const message = options.message ?? `estate: render ${estate.clusters.map((c) => c.name).join(", ")}`;
  const { commit, tree } = commitEstate(root, message);
  const branch = options.branch ?? `estate/${tree.slice(0, 12)}`;
  const ref = `refs/heads/${branch}`;
  const existing = tryGit(root, "rev-parse", "--verify", "-q", ref);
  if (existing)
    throw new PushRefused(
      `branch ${branch} already exists (${existing.slice(0, 12)}); push never moves a branch: pass another --branch`,
    );
  if (remoteHasBranch(root, remote, branch))
    throw new PushRefused(
      `branch ${branch} already exists on ${remote}; push never moves a branch, not even forward: pass another --branch`,
    );
  // Pushing a commit publishes every commit of its history the remote does not have yet.
  const leaks = credentialsInHistory(root, commitsToPublish(root, remote, commit));
  if (leaks.length > 0)
    throw new PushRefused(
      `the commits this push would publish hold files that look like credentials (history included, not only this change); remove them from the history first:\n${list(leaks)}`,
    );
  await checkDist(root, options.platform);
  git(root, "update-ref", ref, commit, "");
  try {
    git(root, "push", "-q", remote, `${commit}:${ref}`);
  } catch (error) {
    git(root, "update-ref", "-d", ref, commit);
    throw error;
  }
  return { branch, remote, commit };
}

function tryGit(root: string, ...args: string[]): string | undefined {
  try {
    return git(root, ...args) || undefined;
  } catch {
    return undefined;
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof PushRefused) return `push refused: ${error.message}`;
  if (error instanceof EstateError) return `push refused, synth fails:\n${error.message}`;
  const stderr = (error as { stderr?: string }).stderr?.trim();
  return `push failed, nothing changed locally: ${stderr || (error as Error).message}`;
}
