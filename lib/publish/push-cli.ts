import { join } from "node:path";
import { parseArgs } from "node:util";
import { repositoryRoot } from "../paths.ts";
import { describeFailure, pushEstate } from "./push.ts";

const USAGE = `usage: npm run push -- [--remote <url>] [--branch <name>] [--message <text>]

Publishes the estate for review: checks that dist/ is what synth renders and valid, then commits
dist/, clusters/, secrets/ and keys/ on top of HEAD onto a new branch and pushes it (never forced).
Your branch, index and work tree are not touched. Refuses when other files changed, when a changed
file looks like a credential, or when the branch already exists.

  --remote <url>     where to push (default: the Git URL of the clusters' inventory)
  --branch <name>    the new branch (default: estate/<tree hash>)
  --message <text>   the commit message
  --help             show this help

example: npm run push -- --branch estate/portal-2.5`;

let values: { remote?: string; branch?: string; message?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      remote: { type: "string" },
      branch: { type: "string" },
      message: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const { help: _, ...options } = values;
try {
  const result = await pushEstate({ root: repositoryRoot(join(import.meta.dirname, "../..")), ...options });
  console.log(
    `pushed ${result.commit.slice(0, 12)} to ${result.remote} as ${result.branch} (your branch and work tree are unchanged); open a pull request on Gitea`,
  );
} catch (error) {
  console.error(describeFailure(error));
  process.exit(1);
}
