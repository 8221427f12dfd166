import { EstateError } from "./lib/errors.ts";
import { loadEstate } from "./lib/inventory/load.ts";
import { synthesize } from "./lib/synth/pipeline.ts";
import { writeDistAtomically } from "./lib/synth/write.ts";

/** `npm run synth`: renders the estate defined under clusters/ into dist/, all or nothing. */
async function main(): Promise<void> {
  const root = process.cwd();
  const estate = await loadEstate(root);
  const tree = await synthesize(estate, root);
  writeDistAtomically(root, tree);
  const files = [...tree.keys()].filter((p) => !p.endsWith("/kustomization.yaml")).length;
  console.log(`synth: ${estate.clusters.length} clusters, ${files} objects written to dist/`);
}

main().catch((error: unknown) => {
  if (error instanceof EstateError) {
    console.error(`synth failed; dist/ was left untouched:\n${error.message}`);
  } else {
    console.error("synth failed; dist/ was left untouched:", error);
  }
  process.exit(1);
});
