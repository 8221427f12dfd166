import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { type CommandSpec, defineCommand, usageError } from "../lib/cli/command.ts";
import { commitChangedObjects } from "./changed-repository.ts";

/**
 * `npm run bench`: what users feel, as whole processes from a cold start. For the default estate and
 * generated estates of about 1k, 10k and 30k objects: synth (load, render, guards, schemas, write) beside
 * a floor process that only reads the same objects and writes the same YAML files, and validate's
 * hydrated checks (bench/checks-once.ts) on the generated ones; at 10k also a diff of
 * 100 changed objects between two commits; for the default estate also `npm run synth`, `npm run
 * validate` and `npm run diff` (no change) exactly as typed, npm included. Median of RUNS processes each.
 */
const RUNS = 3;
const REPO = join(import.meta.dirname, "..");
const SCENARIOS: Record<string, { clusters?: number; objectsPerCluster?: number }> = {
  default: {},
  "generated-1k": { clusters: 10, objectsPerCluster: 100 },
  "generated-10k": { clusters: 100, objectsPerCluster: 100 },
  "generated-30k": { clusters: 300, objectsPerCluster: 100 },
};

const BENCH: CommandSpec = {
  name: "bench",
  usage: "[<scenario>]",
  summary: `Times whole processes from a cold start, median of ${RUNS}: synth against its floor (reading the same
objects and writing the same YAML, nothing else) per scenario; validate's hydrated checks on the generated
estates; at 10k a diff of 100 changed objects; on the default estate npm run synth, validate and diff
(no change) as typed. Prints seconds, the ratio to the floor, the cost per object and peak memory.
Scenarios: ${Object.keys(SCENARIOS).join(", ")}; suite times npm test once. Without an argument: all of them.`,
  options: {},
  positionals: { min: 0, max: 1 },
  examples: ["npm run bench", "npm run bench -- default", "npm run bench -- suite"],
};

interface Run {
  readonly seconds: number;
  readonly peakMiB: number;
}

/** Runs a command RUNS times as a fresh process; wall time and peak memory (GNU time) of each. */
function measure(command: readonly string[], cwd = REPO): Run {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const child = spawnSync("/usr/bin/time", ["-f", "%M", ...command], {
      cwd,
      encoding: "utf8",
    });
    const seconds = (performance.now() - started) / 1000;
    if (child.status !== 0 && child.status !== 1)
      throw new Error(`${command.join(" ")} failed:\n${child.stderr}`);
    const kib = Number(child.stderr.trim().split("\n").pop());
    runs.push({ seconds, peakMiB: kib / 1024 });
  }
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(RUNS / 2)] as Run;
}

const seconds = (run: Run) => `${run.seconds.toFixed(2)} s, ${run.peakMiB.toFixed(0)} MiB`;
/** validate's hydrated checks on a generated estate, caches warm (a first run renders the charts). */
function hydratedChecks(name: string, scenarioArgs: readonly string[]): string {
  const run = () =>
    JSON.parse(output("bench/checks-once.ts", ...scenarioArgs)) as {
      seconds: number;
      objects: number;
      pods: number;
    };
  run();
  const { seconds, objects, pods } = run();
  const perPod = ((seconds * 1000) / pods).toFixed(2);
  return `hydrated checks, ${name} (${objects} objects with chart renders, ${pods} pods): ${seconds.toFixed(2)} s, ${perPod} ms/pod`;
}

/**
 * `npm run synth` exactly as a user types it, npm included, in a throw-away copy of the repository
 * (the code linked, the inventory copied) so the bench never rewrites this checkout's dist/.
 */
function npmSynth(): Run {
  const root = mkdtempSync(join(tmpdir(), "bench-npm-"));
  for (const linked of [
    "bin",
    "lib",
    "charts",
    "imports",
    "vendor",
    "node_modules",
    "package.json",
    "main.ts",
  ])
    symlinkSync(join(REPO, linked), join(root, linked));
  for (const copied of ["clusters", "keys", "secrets"])
    cpSync(join(REPO, copied), join(root, copied), { recursive: true });
  try {
    return measure(["npm", "run", "synth"], root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The pull-request check on a fresh clone (`npm run synth -- --check`, `npm run validate`, `npm run
 * diff`), once with empty caches (node_modules linked package by package, without `.cache`) and
 * once more with the caches the first pass left, as the Gitea workflow's restored cache gives them.
 */
function coldCheck(): { cold: number; restored: number } {
  const root = mkdtempSync(join(tmpdir(), "bench-clone-"));
  try {
    spawnSync("git", ["clone", "-q", REPO, root], { encoding: "utf8" });
    mkdirSync(join(root, "node_modules"));
    for (const entry of readdirSync(join(REPO, "node_modules")))
      if (entry !== ".cache")
        symlinkSync(join(REPO, "node_modules", entry), join(root, "node_modules", entry));
    const pass = () =>
      [
        ["npm", "run", "synth", "--", "--check"],
        ["npm", "run", "validate"],
        ["npm", "run", "diff", "--", "--base", "HEAD"],
      ].reduce((total, command) => {
        const started = performance.now();
        const child = spawnSync(command[0] as string, command.slice(1), { cwd: root, encoding: "utf8" });
        if ((child.status ?? 2) > 1) throw new Error(`${command.join(" ")} failed:\n${child.stderr}`);
        return total + (performance.now() - started) / 1000;
      }, 0);
    return { cold: pass(), restored: pass() };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A command as its npm script runs it, without npm: `node bin/run.mjs <file> …`. */
const launched = (file: string, ...args: string[]) => [
  process.execPath,
  join(REPO, "bin/run.mjs"),
  file,
  ...args,
];

/** What a launched command prints; its error output when it fails. */
function output(file: string, ...args: string[]): string {
  const [node, ...rest] = launched(file, ...args);
  const child = spawnSync(node as string, rest, { cwd: REPO, encoding: "utf8" });
  if (child.status !== 0) throw new Error(child.stderr);
  return child.stdout;
}

/** One scenario: its table row, and lines for what was measured beside synth. */
function benchScenario(name: string): { row: string; notes: string[] } {
  const scenario = SCENARIOS[name] as (typeof SCENARIOS)[string];
  const out = mkdtempSync(join(tmpdir(), "bench-"));
  const objectsFile = join(out, "objects.json");
  const scenarioArgs = [String(scenario.clusters ?? 0), String(scenario.objectsPerCluster ?? 0)];
  // Render once to know the objects; the floor process reads them from this file.
  const objects = Number(output("bench/synth-once.ts", out, ...scenarioArgs, objectsFile).trim());
  const synth = measure(launched("bench/synth-once.ts", out, ...scenarioArgs));
  const floor = measure([process.execPath, join(REPO, "bench/floor.mjs"), objectsFile, join(out, "floor")]);
  const notes = name === "default" ? [] : [hydratedChecks(name, scenarioArgs)];
  if (name === "generated-10k") {
    commitChangedObjects(out, 100);
    const diff = measure(launched("commands/diff.ts", "--base", "HEAD~1", "--head", "HEAD"), out);
    notes.push(`diff, 100 of ${objects} objects changed (--base HEAD~1 --head HEAD): ${seconds(diff)}`);
  }
  rmSync(out, { recursive: true, force: true });
  const row = [
    name.padEnd(14),
    String(objects).padStart(8),
    synth.seconds.toFixed(2).padStart(8),
    floor.seconds.toFixed(2).padStart(8),
    (synth.seconds / floor.seconds).toFixed(1).padStart(6),
    ((synth.seconds * 1e6) / objects).toFixed(0).padStart(11),
    synth.peakMiB.toFixed(0).padStart(9),
    floor.peakMiB.toFixed(0).padStart(9),
  ].join(" ");
  return { row, notes };
}

export const main = defineCommand(BENCH, async ({ positionals }, io) => {
  const [only] = positionals;
  if (only === "suite") {
    io.log(suiteLine());
    return 0;
  }
  if (only && !SCENARIOS[only])
    usageError(`unknown scenario "${only}" (scenarios: ${Object.keys(SCENARIOS).join(", ")}, suite)`);

  io.log(`bench: whole processes, median of ${RUNS}; node ${process.version}, ${cpus().length} cores`);
  io.log("scenario        objects  synth s  floor s  ratio  µs/object  synth MiB  floor MiB");
  const results = (only ? [only] : Object.keys(SCENARIOS)).map(benchScenario);
  for (const { row } of results) io.log(row);
  for (const note of results.flatMap((r) => r.notes)) io.log(note);
  if (!only || only === "default") {
    io.log(`npm run synth (default estate, in a sandbox): ${seconds(npmSynth())}`);
    io.log(`npm run validate (default estate, warm caches): ${seconds(measure(["npm", "run", "validate"]))}`);
    io.log(
      `npm run diff -- --base HEAD (default estate, no change): ${seconds(measure(["npm", "run", "diff", "--", "--base", "HEAD"]))}`,
    );
    const check = coldCheck();
    io.log(
      `pull-request check on a fresh clone (synth --check, validate, diff): ${check.cold.toFixed(1)} s with empty caches, ${check.restored.toFixed(1)} s with restored caches`,
    );
  }
  if (!only) io.log(suiteLine());
  return 0;
});

/** `npm test` as typed (Biome, tsc, validate, vitest), once: it takes about a minute. */
function suiteLine(): string {
  const started = performance.now();
  const child = spawnSync("npm", ["test"], { cwd: REPO, encoding: "utf8" });
  const wall = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`npm test failed:\n${child.stdout.slice(-2000)}${child.stderr}`);
  const vitest = child.stdout.match(/Duration\s+(?:\S+\s+)?([\d.]+)s/)?.[1];
  return `npm test (the whole suite, one run): ${wall.toFixed(1)} s${vitest ? `, of which vitest ${vitest} s` : ""}`;
}
