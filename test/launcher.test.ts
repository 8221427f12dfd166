import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

/** A checkout of its own: the real launcher, the real node_modules, and a small command in TypeScript. */
function checkout(): string {
  const root = tempDir("launcher-");
  mkdirSync(join(root, "bin"));
  mkdirSync(join(root, "lib"));
  mkdirSync(join(root, "node_modules/.cache"), { recursive: true });
  cpSync(join(REPO, "bin/run.mjs"), join(root, "bin/run.mjs"));
  // esbuild from the project; the cache stays in this checkout.
  symlinkSync(join(REPO, "node_modules/esbuild"), join(root, "node_modules/esbuild"));
  writeFileSync(
    join(root, "command.ts"),
    `import { Colour, greeting } from "./lib/greeting.ts";
import settings from "./lib/settings.json" with { type: "json" };
const args: string[] = process.argv.slice(2);
console.log(JSON.stringify({ greeting: greeting(), colour: Colour.Blue, name: settings.name, dir: import.meta.dirname, script: process.argv[1], args }));
`,
  );
  writeGreeting(root, "hello");
  writeFileSync(join(root, "lib/settings.json"), '{ "name": "estate" }');
  return root;
}

function writeGreeting(root: string, word: string): void {
  // An enum: syntax Node's type stripping refuses, which the bundle must handle.
  writeFileSync(
    join(root, "lib/greeting.ts"),
    `export enum Colour { Red = "red", Blue = "blue" }
export const greeting = (): string => "${word}";
`,
  );
}

function run(root: string, ...args: string[]) {
  const child = spawnSync(process.execPath, [join(root, "bin/run.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return {
    status: child.status,
    stderr: child.stderr,
    output: child.status === 0 ? JSON.parse(child.stdout) : undefined,
  };
}

const bundles = (root: string) =>
  readdirSync(join(root, "node_modules/.cache/bundles")).filter((f) => f.endsWith(".mjs"));

describe("bin/run.mjs, the launcher every npm script uses", () => {
  it("runs TypeScript with its arguments; the command sees its own file and directory", () => {
    const root = checkout();
    const { status, output } = run(root, "command.ts", "--flag", "value");
    expect(status).toBe(0);
    expect(output).toEqual({
      greeting: "hello",
      colour: "blue",
      name: "estate",
      dir: root,
      script: join(root, "command.ts"),
      args: ["--flag", "value"],
    });
  });

  it("reuses the bundle while no source changes, and rebuilds when any imported file (TypeScript or JSON) changes", () => {
    const root = checkout();
    expect(run(root, "command.ts").output.greeting).toBe("hello");
    expect(run(root, "command.ts").output.greeting).toBe("hello");
    expect(bundles(root)).toHaveLength(1);
    writeGreeting(root, "goedemorgen");
    expect(run(root, "command.ts").output.greeting).toBe("goedemorgen");
    expect(bundles(root)).toHaveLength(2);
    writeGreeting(root, "hello");
    expect(run(root, "command.ts").output.greeting).toBe("hello");
    expect(bundles(root)).toHaveLength(2);
    writeFileSync(join(root, "lib/settings.json"), '{ "name": "renamed" }');
    expect(run(root, "command.ts").output.name).toBe("renamed");
    expect(bundles(root)).toHaveLength(3);
  });

  it("keeps the newest bundles of an entry and removes older ones, never another entry's", () => {
    const root = checkout();
    const cache = join(root, "node_modules/.cache/bundles");
    mkdirSync(cache, { recursive: true });
    const twoHoursAgo = Date.now() / 1000 - 7200;
    const old = Array.from({ length: 10 }, (_, i) => `command-${String(i).padStart(16, "0")}.mjs`);
    for (const [i, name] of [...old, "command-extra-0000000000000000.mjs"].entries()) {
      writeFileSync(join(cache, name), "");
      utimesSync(join(cache, name), twoHoursAgo + i, twoHoursAgo + i);
    }
    expect(run(root, "command.ts").status).toBe(0);
    const left = readdirSync(cache).filter((f) => f.endsWith(".mjs"));
    expect(left).toContain("command-extra-0000000000000000.mjs");
    // the bundle just built, and the 8 newest of the old ones
    expect(left.filter((f) => old.includes(f)).sort()).toEqual(old.slice(2));
    expect(left.filter((f) => /^command-[0-9a-f]{16}\.mjs$/.test(f) && !old.includes(f))).toHaveLength(1);
  });

  it("says which file does not compile, without a stack trace, and exits 1", () => {
    const root = checkout();
    writeFileSync(join(root, "lib/greeting.ts"), "export const greeting = ( => 1;\n");
    const { status, stderr } = run(root, "command.ts");
    expect(status).toBe(1);
    expect(stderr).toContain("run: cannot build command.ts");
    expect(stderr).toContain("lib/greeting.ts");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("rebuilds when tsconfig.json changes: esbuild reads it too", () => {
    const root = checkout();
    writeFileSync(join(root, "tsconfig.json"), '{ "compilerOptions": { "strict": true } }');
    run(root, "command.ts");
    run(root, "command.ts");
    expect(bundles(root)).toHaveLength(1);
    writeFileSync(join(root, "tsconfig.json"), '{ "compilerOptions": { "strict": false } }');
    run(root, "command.ts");
    expect(bundles(root)).toHaveLength(2);
  });

  it("answers --help, and refuses a missing entry with a usage line (exit 2)", () => {
    const root = checkout();
    const help = spawnSync(process.execPath, [join(root, "bin/run.mjs"), "--help"], { encoding: "utf8" });
    expect([help.status, help.stdout]).toEqual([0, expect.stringContaining("usage: node bin/run.mjs")]);
    expect(run(root)).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("usage: node bin/run.mjs"),
    });
    expect(run(root, "nothing.ts")).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("does not exist"),
    });
  });
});
