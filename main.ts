import { EstateError } from "./lib/errors.ts";
import { synthToDist } from "./lib/synth/run.ts";

/** `npm run synth`: renders the estate defined under clusters/ into dist/, all or nothing. */
try {
  const { clusters, objects } = await synthToDist(process.cwd());
  console.log(`synth: ${clusters} clusters, ${objects} objects written to dist/`);
} catch (error) {
  const detail = error instanceof EstateError ? error.message : error;
  console.error("synth failed; dist/ was left untouched:\n", detail);
  process.exit(1);
}
