import { EstateError, fileSystemMessage } from "./lib/errors.ts";
import { repositoryRoot } from "./lib/paths.ts";
import { synthToDist } from "./lib/synth/run.ts";
import { DistLockedError } from "./lib/synth/write.ts";

/** `npm run synth`: renders the estate defined under clusters/ into dist/, all or nothing. */
const root = repositoryRoot(import.meta.dirname);
try {
  const started = performance.now();
  const { clusters, objects, report } = await synthToDist(root);
  if (report.staleLockOf)
    console.log(`synth: took over the lock of synth ${report.staleLockOf}, which is gone`);
  if (report.recovered)
    console.log(`synth: recovered dist/ from ${report.recovered}, left by an interrupted synth`);
  if (report.swept.length)
    console.log(`synth: removed leftovers of interrupted runs: ${report.swept.join(", ")}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`synth: ${clusters} clusters, ${objects} objects written to dist/ (${seconds} s)`);
} catch (error) {
  const known =
    error instanceof EstateError || error instanceof DistLockedError
      ? error.message
      : fileSystemMessage(error as NodeJS.ErrnoException);
  if (known === undefined) throw error;
  console.error(`synth failed; dist/ was left untouched:\n${known}`);
  process.exit(1);
}
