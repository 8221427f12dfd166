import { join } from "node:path";
import { type CommandIO, type CommandSpec, defineCommand, usageError } from "../lib/cli/command.ts";

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

export const main = defineCommand(PROMOTE, async ({ values, positionals }, io) => {
  if (typeof values.from !== "string" || typeof values.to !== "string")
    usageError("--from and --to are required");
  try {
    return await promoteAndShow(positionals[0] as string, values.from, values.to, io);
  } catch (error) {
    const [
      { EstateError },
      { PromotionRefused },
      { UnknownRef },
      { DistLockedError, DistLockUnusableError },
    ] = await Promise.all([
      import("../lib/errors.ts"),
      import("../lib/publish/promote.ts"),
      import("../lib/diff/git.ts"),
      import("../lib/synth/write.ts"),
    ]);
    // another synth holding dist/ (or a broken lock) is the user's to resolve: the edit was undone
    const locked = error instanceof DistLockedError || error instanceof DistLockUnusableError;
    const refused = error instanceof PromotionRefused || error instanceof EstateError || locked;
    if (!refused && !(error instanceof UnknownRef)) throw error;
    io.error(`promote refused: ${(error as Error).message}`);
    return 1;
  }
});

/** Promotes, renders dist/ again (undoing the edit when synth refuses it) and prints the diff. */
async function promoteAndShow(workload: string, from: string, to: string, io: CommandIO): Promise<number> {
  const [
    { writeFileSync },
    { readTree },
    { repositoryRoot },
    { synthToDist },
    diffGit,
    compare,
    report,
    { promote },
    { PLATFORM },
  ] = await Promise.all([
    import("node:fs"),
    import("../lib/synth/dist-tree.ts"),
    import("../lib/paths.ts"),
    import("../lib/synth/run.ts"),
    import("../lib/diff/git.ts"),
    import("../lib/diff/compare.ts"),
    import("../lib/diff/report.ts"),
    import("../lib/publish/promote.ts"),
    import("../charts/index.ts"),
  ]);
  const root = repositoryRoot(join(import.meta.dirname, ".."), io.cwd);
  const p = await promote(root, workload, from, to, PLATFORM.components);
  if (p.unchanged) {
    io.log(
      `promote: ${p.workload} already runs ${p.version} in ${p.to}, as in ${p.from}; nothing to promote`,
    );
    return 0;
  }
  io.log(`promoted ${p.workload} ${p.from} -> ${p.to}: ${p.previous} -> ${p.version} (${p.file})`);
  try {
    await synthToDist(root, PLATFORM);
  } catch (error) {
    // The promoted version breaks a rule: put the file back, so the work tree stays consistent.
    writeFileSync(join(root, p.file), p.original as string);
    io.error(`promote undone: synth refuses ${p.version} in ${p.to}`);
    throw error;
  }
  const diff = await compare.diffSides(
    root,
    compare.sideAtRef(root, "HEAD"),
    compare.sideInMemory(readTree(root, "dist"), diffGit.objectFormat(root)),
  );
  io.write(report.renderText(diff));
  io.log(
    `next: review the diff above, then npm run push -- --branch promote/${p.workload}-${p.to}${
      p.to === "prod" ? " (prod: Gitea requires a human approval before it merges)" : ""
    }`,
  );
  return 0;
}
