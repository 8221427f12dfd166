import { parseArgs } from "node:util";
import { describeFailure, pushEstate } from "./push.ts";

/** `npm run push -- [--remote <url>] [--branch <name>] [--message <text>]` */
const { values } = parseArgs({
  options: { remote: { type: "string" }, branch: { type: "string" }, message: { type: "string" } },
});
try {
  const result = await pushEstate({ root: process.cwd(), ...values });
  console.log(
    `pushed ${result.commit.slice(0, 12)} to ${result.remote} as ${result.branch}; open a pull request on Gitea`,
  );
} catch (error) {
  console.error(describeFailure(error));
  process.exit(1);
}
