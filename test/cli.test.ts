import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandMain } from "../lib/cli/command.ts";
import { expectGolden, firstLine, golden } from "./golden.ts";
import { REPO, runMain } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

/** Every command a user runs, by its npm script name: the file it runs and its main. */
const COMMANDS: Record<string, { file: string; main: () => Promise<CommandMain> }> = {
  synth: { file: "main.ts", main: async () => (await import("../main.ts")).main },
  validate: {
    file: "commands/validate.ts",
    main: async () => (await import("../commands/validate.ts")).main,
  },
  diff: { file: "commands/diff.ts", main: async () => (await import("../commands/diff.ts")).main },
  push: { file: "commands/push.ts", main: async () => (await import("../commands/push.ts")).main },
  promote: { file: "commands/promote.ts", main: async () => (await import("../commands/promote.ts")).main },
  secrets: { file: "commands/secrets.ts", main: async () => (await import("../commands/secrets.ts")).main },
  explain: { file: "commands/explain.ts", main: async () => (await import("../commands/explain.ts")).main },
  bench: { file: "bench/bench.ts", main: async () => (await import("../bench/bench.ts")).main },
};

const runIn = async (name: string, args: string[], cwd = REPO) =>
  runMain(await (COMMANDS[name] as (typeof COMMANDS)[string]).main(), args, cwd);

/** The launcher as npm runs it: a real process. */
function launch(file: string, args: string[]) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO, "bin/run.mjs"), file, ...args], { cwd: REPO });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("one CLI convention for every command", () => {
  it("package.json runs exactly these commands", async () => {
    const { scripts } = (await import("../package.json", { with: { type: "json" } })).default as {
      scripts: Record<string, string>;
    };
    for (const [name, { file }] of Object.entries(COMMANDS))
      expect(scripts[name]).toBe(`node bin/run.mjs ${file}`);
  });

  it("--help prints usage, options and examples (as in test/golden/help/) and returns 0", async () => {
    for (const name of Object.keys(COMMANDS)) {
      const help = await runIn(name, ["--help"]);
      expect([name, help.status, help.stderr]).toEqual([name, 0, ""]);
      expectGolden(`help/${name}.txt`, help.stdout);
    }
  });

  it("an unknown flag returns 2 with what is wrong and the usage line, before any work", async () => {
    for (const name of Object.keys(COMMANDS)) {
      const bad = await runIn(name, ["--no-such-flag"]);
      expect([name, bad.status, bad.stdout]).toEqual([name, 2, ""]);
      expect(bad.stderr).toBe(
        `${name}: Unknown option '--no-such-flag'\n${firstLine(golden(`help/${name}.txt`))}\n(npm run ${name} -- --help for more)\n`,
      );
    }
  });

  it("as processes, through the launcher: exit 0 for --help, 2 for an unknown flag", async () => {
    const [help, bad] = await Promise.all([
      launch("main.ts", ["--help"]),
      launch("commands/diff.ts", ["--no-such-flag"]),
    ]);
    expect([help.status, help.stdout, help.stderr]).toEqual([0, golden("help/synth.txt"), ""]);
    expect([bad.status, bad.stdout]).toEqual([2, ""]);
    expect(bad.stderr).toContain("diff: Unknown option '--no-such-flag'\nusage: npm run diff --");
  });

  it("typed values are checked: a non-number, an unknown choice, a missing argument", async () => {
    const [chars, format, promote] = [
      await runIn("diff", ["--max-chars", "abc"]),
      await runIn("diff", ["--format", "html"]),
      await runIn("promote", ["--from", "dev", "--to", "test"]),
    ];
    expect([chars.status, chars.stderr.split("\n")[0]]).toEqual([
      2,
      'diff: --max-chars must be a whole number of at least 1000, not "abc"',
    ]);
    expect(format.stderr.split("\n")[0]).toBe('diff: --format must be one of text, markdown, not "html"');
    expect([promote.status, promote.stderr.split("\n")[0]]).toEqual([2, "promote: expected <workload>"]);
  });
});

describe("the Gitea workflow's comment", () => {
  it("is created once and then updated, never posted again", async () => {
    const comments: { id: number; body: string }[] = [];
    const requests: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        requests.push(`${req.method} ${req.url}`);
        if (req.method === "GET") return res.end(JSON.stringify(comments));
        const { body: text } = JSON.parse(body);
        if (req.method === "POST") comments.push({ id: comments.length + 1, body: text });
        if (req.method === "PATCH") (comments[0] as { body: string }).body = text;
        res.end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const dir = tempDir("comment-");
    const env = {
      GITEA_TOKEN: "t",
      GITEA_API: `http://127.0.0.1:${port}/api/v1`,
      REPOSITORY: "o/r",
      PR: "7",
    };
    const post = async (text: string) => {
      writeFileSync(join(dir, "diff.md"), text);
      const child = spawn(
        process.execPath,
        [join(REPO, ".gitea/scripts/upsert-comment.mjs"), join(dir, "diff.md")],
        {
          env: { ...process.env, ...env },
        },
      );
      await new Promise((r) => child.on("close", r));
    };
    await post("first diff");
    await post("second diff");
    server.close();
    expect(comments).toEqual([{ id: 1, body: "<!-- estate-diff -->\nsecond diff" }]);
    expect(requests).toEqual([
      "GET /api/v1/repos/o/r/issues/7/comments",
      "POST /api/v1/repos/o/r/issues/7/comments",
      "GET /api/v1/repos/o/r/issues/7/comments",
      "PATCH /api/v1/repos/o/r/issues/comments/1",
    ]);
  });
});

describe("npm run diff --output", () => {
  it("writes no report into dist/ and names a folder that does not exist, before any work", async () => {
    const intoDist = await runIn("diff", ["--output", "dist/report.md"]);
    expect(intoDist.status).toBe(2);
    expect(intoDist.stderr).toContain("--output dist/report.md: dist/ holds only what synth renders");
    const missing = await runIn("diff", ["--output", "no-such-folder/report.md"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      "--output no-such-folder/report.md: the folder no-such-folder does not exist",
    );
  });
});
