import { parseArgs } from "node:util";
import { EstateError } from "../errors.ts";
import { loadEstate } from "../inventory/load.ts";
import { synthesize } from "../synth/pipeline.ts";
import { withChartObjects } from "./charts.ts";
import { defaultBase, readTreeAtRef } from "./git.ts";
import { diffTrees } from "./index.ts";
import { renderMarkdown, renderText } from "./report.ts";

/**
 * `npm run diff -- [--base <ref>] [--head <ref>] [--format text|markdown] [--max-chars N]`:
 * renders the working tree (or reads `--head` from git) and compares it with dist/ at the base ref,
 * each HelmRelease's rendered chart objects included.
 * Exit 0: no change; 1: changes; 2: error.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      head: { type: "string" },
      format: { type: "string", default: "text" },
      "max-chars": { type: "string", default: "60000" },
    },
  });
  if (values.format !== "text" && values.format !== "markdown")
    throw new Error(`--format must be text or markdown`);
  const root = process.cwd();
  const base = readTreeAtRef(root, values.base ?? defaultBase(root));
  const head = values.head
    ? readTreeAtRef(root, values.head)
    : await synthesize(await loadEstate(root), root);
  const diff = diffTrees(await withChartObjects(root, base), await withChartObjects(root, head));
  process.stdout.write(
    values.format === "markdown" ? renderMarkdown(diff, Number(values["max-chars"])) : renderText(diff),
  );
  return diff.changes.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`diff failed: ${error instanceof EstateError ? error.message : (error as Error).message}`);
    process.exit(2);
  },
);
