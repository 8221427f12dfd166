import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

/** Every command a user runs, by its npm script name, and the file it runs. */
const COMMANDS: Record<string, string> = {
  synth: "main.ts",
  validate: "commands/validate.ts",
  diff: "commands/diff.ts",
  push: "commands/push.ts",
  promote: "commands/promote.ts",
  secrets: "commands/secrets.ts",
  explain: "commands/explain.ts",
  bench: "bench/bench.ts",
};

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO, "bin/run.mjs"), file, ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
    });
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
    for (const [name, file] of Object.entries(COMMANDS))
      expect(scripts[name]).toBe(`node bin/run.mjs ${file}`);
  });

  it("--help prints usage, options and examples and exits 0; an unknown flag exits 2 with the usage line", async () => {
    const results = await Promise.all(
      Object.entries(COMMANDS).flatMap(([name, file]) => [
        run(file, ["--help"]).then((r) => ({ name, kind: "help", ...r })),
        run(file, ["--no-such-flag"]).then((r) => ({ name, kind: "bad", ...r })),
      ]),
    );
    for (const r of results) {
      if (r.kind === "help") {
        expect([r.name, r.status, r.stderr]).toEqual([r.name, 0, ""]);
        expect(r.stdout).toMatch(new RegExp(`^usage: npm run ${r.name} --`));
        expect(r.stdout).toContain("options:");
        expect(r.stdout).toContain(`examples:\n  npm run ${r.name}`);
      } else {
        expect([r.name, r.status]).toEqual([r.name, 2]);
        expect(r.stderr).toContain(`${r.name}: Unknown option '--no-such-flag'`);
        expect(r.stderr).toContain(`usage: npm run ${r.name} --`);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    }
  }, 120_000);

  it("typed values are checked: a non-number, an unknown choice, a missing argument", async () => {
    const [chars, format, promote] = await Promise.all([
      run(COMMANDS.diff as string, ["--max-chars", "abc"]),
      run(COMMANDS.diff as string, ["--format", "html"]),
      run(COMMANDS.promote as string, ["--from", "dev", "--to", "test"]),
    ]);
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
    const intoDist = await run(COMMANDS.diff as string, ["--output", "dist/report.md"]);
    expect(intoDist.status).toBe(2);
    expect(intoDist.stderr).toContain("--output dist/report.md: dist/ holds only what synth renders");
    const missing = await run(COMMANDS.diff as string, ["--output", "no-such-folder/report.md"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      "--output no-such-folder/report.md: the folder no-such-folder does not exist",
    );
  });
});
