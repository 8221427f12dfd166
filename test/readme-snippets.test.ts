import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLATFORM } from "../charts/index.ts";
import { synthToDist } from "../lib/synth/run.ts";
import { REPO, sandbox } from "./helpers.ts";

const README = readFileSync(join(REPO, "README.md"), "utf8");

/** The code block after `<!-- snippet: <kind>, ... -->`: what a reader pastes. */
function snippet(kind: string): string {
  const match = new RegExp(`<!-- snippet: ${kind},[^\\n]*-->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(README);
  if (!match) throw new Error(`README has no ${kind} snippet`);
  return match[1] as string;
}

/** What Biome (the project's formatter, part of npm test) makes of a file. */
function formatted(code: string, path: string): string {
  const result = spawnSync(join(REPO, "node_modules/.bin/biome"), ["format", `--stdin-file-path=${path}`], {
    cwd: REPO,
    input: code,
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

const indent = (code: string) => code.replace(/^(?=.)/gm, "  ");

describe("README snippets work as written", () => {
  it("excerpts are the files they quote, word for word", () => {
    const excerpts = [...README.matchAll(/<!-- excerpt: (\S+) -->\n```ts\n([\s\S]*?)```/g)];
    expect(excerpts.length).toBeGreaterThan(0);
    for (const [, file, code] of excerpts)
      expect(readFileSync(join(REPO, file as string), "utf8"), file).toContain(code);
  });

  it("are formatted as npm test's lint wants them", () => {
    const workload = `export default [\n${indent(snippet("workload"))}];\n`;
    expect(formatted(workload, "clusters/catalogue/portal.ts")).toBe(workload);
    expect(formatted(snippet("cluster"), "clusters/rke2-edge.ts")).toBe(snippet("cluster"));
  });

  it("render: the workload added to the catalogue, the cluster added to the inventory", async () => {
    const root = sandbox();
    const portal = join(root, "clusters/catalogue/portal.ts");
    const text = readFileSync(portal, "utf8");
    const end = text.lastIndexOf("];");
    writeFileSync(portal, `${text.slice(0, end)}${indent(snippet("workload"))}${text.slice(end)}`);
    writeFileSync(join(root, "clusters/rke2-edge.ts"), snippet("cluster"));
    const index = join(root, "clusters/index.ts");
    writeFileSync(
      index,
      readFileSync(index, "utf8").replace('"rke2-nonprod.ts"]', '"rke2-nonprod.ts", "rke2-edge.ts"]'),
    );

    const { clusters } = await synthToDist(root, PLATFORM);
    expect(clusters).toBe(4);
    for (const path of [
      "dist/clusters/rke2-cloud/apps/portal/deployment-vergunningen.yaml",
      "dist/clusters/rke2-nonprod/apps/dev-portal/deployment-vergunningen.yaml",
      "dist/clusters/rke2-edge/fluxinstance-flux.yaml",
    ])
      expect(existsSync(join(root, path)), path).toBe(true);
  });
});
