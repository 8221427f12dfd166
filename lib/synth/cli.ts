import type { CommandIO } from "../cli/command.ts";
import { EstateError, fileSystemMessage } from "../errors.ts";
import { loadEstate } from "../estate/load.ts";
import { repositoryRoot } from "../paths.ts";
import { missingDist, readTree } from "./dist-tree.ts";
import { synthesize } from "./pipeline.ts";
import type { Platform } from "./render.ts";
import { synthToDist } from "./run.ts";
import { differingPaths } from "./tree.ts";
import { DistLockedError, DistLockUnusableError } from "./write.ts";

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** The files where dist/ differs from what synth renders now (added, changed or to be removed). */
export async function staleFiles(root: string, platform: Platform): Promise<string[]> {
  const current = missingDist(root) ? new Map<string, string>() : readTree(root, "dist");
  const estate = await loadEstate(root, platform.components);
  return differingPaths(await synthesize(estate, root, platform.build), current);
}

/** `npm run synth [--check]`, returning the exit code; user mistakes are messages, not stack traces. */
export async function runSynth(
  fallbackRoot: string,
  options: { check: boolean },
  platform: Platform,
  io: CommandIO,
): Promise<number> {
  const root = repositoryRoot(fallbackRoot, io.cwd);
  const started = performance.now();
  try {
    if (options.check) {
      const stale = await staleFiles(root, platform);
      if (stale.length === 0) {
        io.log(`synth --check: dist/ is current (${seconds(started)})`);
        return 0;
      }
      const shown = stale.slice(0, 10).map((p) => `  ${p}`);
      if (stale.length > 10) shown.push(`  … and ${stale.length - 10} more`);
      io.error(
        `synth --check: dist/ is stale, ${stale.length} file(s) differ:\n${shown.join("\n")}\nRun: npm run synth`,
      );
      return 1;
    }
    const { clusters, objects, report } = await synthToDist(root, platform);
    if (report.staleLockOf) io.log(`synth: took over the lock of synth ${report.staleLockOf}, which is gone`);
    if (report.recovered)
      io.log(`synth: recovered dist/ from ${report.recovered}, left by an interrupted synth`);
    if (report.swept.length)
      io.log(`synth: removed leftovers of interrupted runs: ${report.swept.join(", ")}`);
    io.log(
      `synth: ${clusters} clusters, ${objects} objects written to dist/ (${seconds(started)}); beside the Flux trees: policy tests, host config, the estate map, the data paths, mirror manifests`,
    );
    return 0;
  } catch (error) {
    const known =
      error instanceof EstateError ||
      error instanceof DistLockedError ||
      error instanceof DistLockUnusableError
        ? error.message
        : fileSystemMessage(error as NodeJS.ErrnoException);
    if (known === undefined) throw error;
    io.error(`synth failed; dist/ was left untouched:\n${known}`);
    return 1;
  }
}
