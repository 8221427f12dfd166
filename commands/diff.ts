import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import {
  type CommandSpec,
  choiceOption,
  defineCommand,
  integerOption,
  usageError,
} from "../lib/cli/command.ts";
import { repositoryRoot } from "../lib/paths.ts";

const DIFF: CommandSpec = {
  name: "diff",
  usage: "",
  summary: `Compares the rendered estate with dist/ at a base commit, per cluster and object, each HelmRelease's chart
objects included, with risk flags. The head is the work tree rendered now (or --head from git).
Exit 0: no change; 1: changes; 2: error.`,
  options: {
    base: {
      type: "string",
      value: "<ref>",
      description: "what to compare with (default: the merge base with main)",
    },
    head: {
      type: "string",
      value: "<ref>",
      description: "compare dist/ at this commit instead of rendering the work tree",
    },
    format: {
      type: "string",
      value: "<text|markdown>",
      description: "text for a terminal (default), markdown for a PR comment",
    },
    "max-chars": {
      type: "string",
      value: "<n>",
      description: "cut the markdown report at n characters (default 60000)",
    },
    output: {
      type: "string",
      value: "<file>",
      description: "write the report to a file instead of standard output",
    },
  },
  examples: [
    "npm run diff",
    "npm run diff -- --base HEAD~1",
    "npm run diff -- --format markdown --output diff.md",
  ],
};

export const main = defineCommand(DIFF, async ({ values }, io) => {
  const format = choiceOption("format", values.format ?? "text", ["text", "markdown"] as const);
  const maxChars = integerOption("max-chars", values["max-chars"] ?? "60000", 1000);
  const output = values.output === undefined ? undefined : resolve(io.cwd, values.output as string);
  const root = repositoryRoot(join(import.meta.dirname, ".."), io.cwd);
  if (output) checkOutput(root, values.output as string, output);

  const [{ EstateError }, { loadEstate }, { synthesize }, compare, git, report, { PLATFORM }] =
    await Promise.all([
      import("../lib/errors.ts"),
      import("../lib/estate/load.ts"),
      import("../lib/synth/pipeline.ts"),
      import("../lib/diff/compare.ts"),
      import("../lib/diff/git.ts"),
      import("../lib/diff/report.ts"),
      import("../charts/index.ts"),
    ]);
  try {
    const base = compare.sideAtRef(root, (values.base as string | undefined) ?? git.defaultBase(root));
    const head = values.head
      ? compare.sideAtRef(root, values.head as string)
      : compare.sideInMemory(
          await synthesize(await loadEstate(root, PLATFORM.components), root, PLATFORM.build),
          git.objectFormat(root),
        );
    const diff = await compare.diffSides(root, base, head);
    const text = format === "markdown" ? report.renderMarkdown(diff, maxChars) : report.renderText(diff);
    if (output) {
      writeFileSync(output, text);
      io.log(`diff: ${diff.changes.length} change(s) written to ${values.output}`);
    } else io.write(text);
    return diff.changes.length === 0 ? 0 : 1;
  } catch (error) {
    const known = error instanceof EstateError || error instanceof git.UnknownRef;
    if (!known && !(error instanceof Error && /merge base/.test(error.message))) throw error;
    io.error(`diff failed: ${(error as Error).message}`);
    return 2;
  }
});

/** The report is for a reviewer, never part of what synth renders and Flux applies. */
function checkOutput(root: string, given: string, output: string): void {
  const inside = relative(root, output);
  if (inside === "dist" || inside.startsWith(`dist${sep}`))
    usageError(`--output ${given}: dist/ holds only what synth renders; write the report elsewhere`);
  if (!existsSync(dirname(output)))
    usageError(`--output ${given}: the folder ${dirname(given)} does not exist`);
}
