import { join } from "node:path";
import { type CommandSpec, parseCommand, usageError } from "../lib/cli/command.ts";

const PROMOTE: CommandSpec = {
  name: "promote",
  usage: "<workload>",
  summary: `Moves a workload's version one OTAP step forward (dev -> test -> acc -> prod): the version pinned for
--from becomes the one for --to in its catalogue file. Then renders dist/ again, prints what changes
against HEAD, and the next step. A promotion that synth refuses is undone.`,
  options: {
    from: {
      type: "string",
      value: "<stage>",
      description: "the stage whose version moves on (dev, test, acc)",
    },
    to: { type: "string", value: "<stage>", description: "the next stage (test, acc, prod)" },
  },
  positionals: { min: 1, max: 1 },
  examples: ["npm run promote -- waterpeil-portal --from dev --to test"],
};

const { values, positionals } = parseCommand(PROMOTE);
if (typeof values.from !== "string" || typeof values.to !== "string")
  usageError(PROMOTE, "--from and --to are required");
const workload = positionals[0] as string;

const [
  { writeFileSync },
  { readTree },
  { EstateError },
  { repositoryRoot },
  { synthToDist },
  diffGit,
  compare,
  report,
  promotion,
  { DistLockedError, DistLockUnusableError },
  { buildCluster },
] = await Promise.all([
  import("node:fs"),
  import("../lib/validate/dist-tree.ts"),
  import("../lib/errors.ts"),
  import("../lib/paths.ts"),
  import("../lib/synth/run.ts"),
  import("../lib/diff/git.ts"),
  import("../lib/diff/compare.ts"),
  import("../lib/diff/report.ts"),
  import("../lib/publish/promote.ts"),
  import("../lib/synth/write.ts"),
  import("../charts/index.ts"),
]);

const root = repositoryRoot(join(import.meta.dirname, ".."));
try {
  const p = await promotion.promote(root, workload, values.from, values.to);
  if (p.unchanged) {
    console.log(
      `promote: ${p.workload} already runs ${p.version} in ${p.to}, as in ${p.from}; nothing to promote`,
    );
    process.exit(0);
  }
  console.log(`promoted ${p.workload} ${p.from} -> ${p.to}: ${p.previous} -> ${p.version} (${p.file})`);
  try {
    await synthToDist(root, buildCluster);
  } catch (error) {
    // The promoted version breaks a rule: put the file back, so the work tree stays consistent.
    writeFileSync(join(root, p.file), p.original as string);
    console.error(`promote undone: synth refuses ${p.version} in ${p.to}`);
    throw error;
  }
  const diff = await compare.diffSides(
    root,
    compare.sideAtRef(root, "HEAD"),
    compare.sideInMemory(readTree(root, "dist"), diffGit.objectFormat(root)),
  );
  process.stdout.write(report.renderText(diff));
  console.log(
    `next: review the diff above, then npm run push -- --branch promote/${p.workload}-${p.to}${
      p.to === "prod" ? " (prod: Gitea requires a human approval before it merges)" : ""
    }`,
  );
} catch (error) {
  // another synth holding dist/ (or a broken lock) is the user's to resolve: the edit was undone
  const locked = error instanceof DistLockedError || error instanceof DistLockUnusableError;
  const refused = error instanceof promotion.PromotionRefused || error instanceof EstateError || locked;
  if (!refused && !(error instanceof diffGit.UnknownRef)) throw error;
  console.error(`promote refused: ${(error as Error).message}`);
  process.exit(1);
}
