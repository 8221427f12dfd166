import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EstateError } from "../errors.ts";
import { PromotionRefused, promote } from "./promote.ts";

/** `npm run promote -- <workload> --from <env> --to <env>`: edits the pin, then prints the rendered diff. */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: "string" }, to: { type: "string" } },
});
const [workload] = positionals;
if (!workload || !values.from || !values.to) {
  console.error("usage: npm run promote -- <workload> --from <env> --to <env>");
  process.exit(2);
}
try {
  const p = await promote(process.cwd(), workload, values.from, values.to);
  console.log(`promoted ${p.workload} ${p.from} -> ${p.to}: ${p.previous} -> ${p.version} (${p.file})`);
  if (p.to === "prod") {
    console.log(
      "prod: commit this on a branch and open a pull request; Gitea requires a human approval before it merges.",
    );
  }
  // The catalogue changed on disk: render it in a fresh process and show what changes against HEAD.
  const diff = spawnSync(
    process.execPath,
    [...process.execArgv, join(import.meta.dirname, "../diff/cli.ts"), "--base", "HEAD"],
    {
      stdio: "inherit",
    },
  );
  process.exit(diff.status === 2 ? 2 : 0);
} catch (error) {
  const refused = error instanceof PromotionRefused || error instanceof EstateError;
  console.error(`promote ${refused ? "refused" : "failed"}: ${(error as Error).message}`);
  process.exit(1);
}
