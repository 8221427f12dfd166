import { EstateError } from "../errors.ts";
import { git } from "../git.ts";
import { loadEstate } from "../inventory/load.ts";
import { synthesize } from "../synth/pipeline.ts";
import { readTree } from "../validate/dist-tree.ts";
import { validateDist } from "../validate/index.ts";

export interface PushOptions {
  readonly root: string;
  /** Defaults to the Git URL in the inventory (all clusters must agree). */
  readonly remote?: string;
  /** Defaults to `estate/<tree hash>`: the same sources always land on the same branch name. */
  readonly branch?: string;
  readonly message?: string;
}

export class PushRefused extends Error {}

/**
 * Publishes the estate: refuses a dist/ that is not exactly what synth renders from the sources
 * (stale) or that fails validation (invalid); otherwise commits dist/ together with its sources on a
 * branch and pushes that branch. Never force-pushes.
 */
export async function pushEstate(
  options: PushOptions,
): Promise<{ branch: string; remote: string; commit: string }> {
  const { root } = options;
  const estate = await loadEstate(root);
  const rendered = await synthesize(estate, root);
  const onDisk = readTree(root, "dist");
  const stale = [...new Set([...rendered.keys(), ...onDisk.keys()])].filter(
    (p) => rendered.get(p) !== onDisk.get(p),
  );
  if (stale.length > 0) {
    throw new PushRefused(
      `dist/ is stale (${stale.length} file(s) differ from what synth renders, e.g. ${stale[0]}): run npm run synth, review, then push`,
    );
  }
  const report = await validateDist(root);
  if (report.problems.length > 0) {
    throw new PushRefused(`dist/ is invalid:\n${report.problems.join("\n")}`);
  }

  const urls = [...new Set(estate.clusters.map((c) => c.git.url))];
  const remote = options.remote ?? (urls.length === 1 ? (urls[0] as string) : undefined);
  if (!remote) throw new PushRefused(`the clusters use ${urls.length} Git URLs; pass --remote`);

  git(root, "add", "-A");
  const tree = git(root, "write-tree");
  const branch = options.branch ?? `estate/${tree.slice(0, 12)}`;
  git(root, "checkout", "-q", "-B", branch);
  const pending = git(root, "status", "--porcelain");
  if (pending) {
    git(
      root,
      "commit",
      "-q",
      "-m",
      options.message ?? `estate: render ${estate.clusters.map((c) => c.name).join(", ")}`,
    );
  }
  git(root, "push", "-q", remote, `${branch}:refs/heads/${branch}`);
  return { branch, remote, commit: git(root, "rev-parse", "HEAD") };
}

export function describeFailure(error: unknown): string {
  if (error instanceof PushRefused) return `push refused: ${error.message}`;
  if (error instanceof EstateError) return `push refused, synth fails:\n${error.message}`;
  return `push failed: ${(error as Error).message}`;
}
