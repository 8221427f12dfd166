import { join } from "node:path";
import { type CommandSpec, defineCommand } from "../lib/cli/command.ts";

const PUSH: CommandSpec = {
  name: "push",
  usage: "",
  summary: `Publishes the estate for review: checks that dist/ is what synth renders and valid, then commits dist/,
clusters/, secrets/ and keys/ on top of HEAD onto a new branch and pushes it (never forced). Your branch,
index and work tree are not touched. Refuses when other files changed, when a changed file looks like
a credential, or when the branch already exists.`,
  options: {
    remote: {
      type: "string",
      value: "<url>",
      description: "where to push (default: the Git URL of the clusters' inventory)",
    },
    branch: { type: "string", value: "<name>", description: "the new branch (default: estate/<tree hash>)" },
    message: { type: "string", value: "<text>", description: "the commit message" },
  },
  examples: ["npm run push", "npm run push -- --branch estate/portal-2.5"],
};

export const main = defineCommand(PUSH, async ({ values }, io) => {
  const [{ repositoryRoot }, { describeFailure, pushEstate }, { PLATFORM }] = await Promise.all([
    import("../lib/paths.ts"),
    import("../lib/publish/push.ts"),
    import("../charts/index.ts"),
  ]);
  try {
    const result = await pushEstate({
      root: repositoryRoot(join(import.meta.dirname, ".."), io.cwd),
      platform: PLATFORM,
      ...(values as { remote?: string; branch?: string; message?: string }),
    });
    io.log(
      `pushed ${result.commit.slice(0, 12)} to ${result.remote} as ${result.branch} (your branch and work tree are unchanged); open a pull request on Gitea`,
    );
    return 0;
  } catch (error) {
    io.error(describeFailure(error));
    return 1;
  }
});
