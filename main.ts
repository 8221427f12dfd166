import { type CommandSpec, defineCommand } from "./lib/cli/command.ts";

/** `npm run synth`: renders the estate defined under clusters/ into dist/, all or nothing. */
const SYNTH: CommandSpec = {
  name: "synth",
  usage: "",
  summary: `Renders the estate defined under clusters/ into dist/: one tree per cluster for Flux, all or nothing.
A failing synth (bad input, a guard, a full disk) leaves dist/ exactly as it was.`,
  options: {
    check: {
      type: "boolean",
      description: "render in memory and compare with dist/; exit 1 when dist/ is stale (writes nothing)",
    },
  },
  examples: ["npm run synth", "npm run synth -- --check"],
};

export const main = defineCommand(SYNTH, async ({ values }, io) => {
  const [{ runSynth }, { PLATFORM }] = await Promise.all([
    import("./lib/synth/cli.ts"),
    import("./charts/index.ts"),
  ]);
  return runSynth(import.meta.dirname, { check: values.check === true }, PLATFORM, io);
});
