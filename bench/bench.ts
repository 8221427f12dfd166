import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { type CommandSpec, parseCommand, usageError } from "../lib/cli/command.ts";

/**
 * `npm run bench`: what users feel, as whole processes from a cold start. For the default estate and
 * generated estates of about 1k, 10k and 30k objects: synth (load, render, guards, schemas, write) beside
 * a floor process that only reads the same objects and writes the same YAML files; for the default
 * estate also `npm run validate` and `npm run diff` with no change. Median of RUNS processes each.
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
  summary: `Times whole processes from a cold start, median of ${RUNS}: synth against its floor (reading the same objects
and writing the same YAML, nothing else) per scenario, and validate and diff (no change) on the default
estate. Prints seconds, the ratio to the floor, the cost per object and peak memory.
Scenarios: ${Object.keys(SCENARIOS).join(", ")}. Without an argument: all of them.`,
  options: {},
  positionals: { min: 0, max: 1 },
  examples: ["npm run bench", "npm run bench -- default"],
};

interface Run {
  readonly seconds: number;
  readonly peakMiB: number;
}

/** Runs a command RUNS times as a fresh process; wall time and peak memory (GNU time) of each. */
function measure(args: readonly string[], cwd = REPO): Run {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const child = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], {
      cwd,
      encoding: "utf8",
    });
    const seconds = (performance.now() - started) / 1000;
    if (child.status !== 0 && child.status !== 1)
      throw new Error(`${args.join(" ")} failed:\n${child.stderr}`);
    const kib = Number(child.stderr.trim().split("\n").pop());
    runs.push({ seconds, peakMiB: kib / 1024 });
  }
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(RUNS / 2)] as Run;
}

const tsx = (file: string, ...args: string[]) => ["--import", "tsx", join(REPO, file), ...args];

function benchScenario(name: string): string {
  const scenario = SCENARIOS[name] as (typeof SCENARIOS)[string];
  const out = mkdtempSync(join(tmpdir(), "bench-"));
  const objectsFile = join(out, "objects.json");
  const scenarioArgs = [String(scenario.clusters ?? 0), String(scenario.objectsPerCluster ?? 0)];
  // Render once to know the objects; the floor process reads them from this file.
  const prepared = spawnSync(
    process.execPath,
    tsx("bench/synth-once.ts", out, ...scenarioArgs, objectsFile),
    {
      cwd: REPO,
      encoding: "utf8",
    },
  );
  if (prepared.status !== 0) throw new Error(prepared.stderr);
  const objects = Number(prepared.stdout.trim());
  const synth = measure(tsx("bench/synth-once.ts", out, ...scenarioArgs));
  const floor = measure([join(REPO, "bench/floor.mjs"), objectsFile, join(out, "floor")]);
  rmSync(out, { recursive: true, force: true });
  return [
    name.padEnd(14),
    String(objects).padStart(8),
    synth.seconds.toFixed(2).padStart(8),
    floor.seconds.toFixed(2).padStart(8),
    (synth.seconds / floor.seconds).toFixed(1).padStart(6),
    ((synth.seconds * 1e6) / objects).toFixed(0).padStart(11),
    synth.peakMiB.toFixed(0).padStart(9),
    floor.peakMiB.toFixed(0).padStart(9),
  ].join(" ");
}

const [only] = parseCommand(BENCH).positionals;
if (only && !SCENARIOS[only])
  usageError(BENCH, `unknown scenario "${only}" (scenarios: ${Object.keys(SCENARIOS).join(", ")})`);

console.log(`bench: whole processes, median of ${RUNS}; node ${process.version}, ${cpus().length} cores`);
console.log("scenario        objects  synth s  floor s  ratio  µs/object  synth MiB  floor MiB");
for (const name of only ? [only] : Object.keys(SCENARIOS)) console.log(benchScenario(name));
if (!only || only === "default") {
  const validate = measure(tsx("lib/validate/cli.ts"));
  const diff = measure(tsx("lib/diff/cli.ts", "--base", "HEAD"));
  console.log(
    `validate (default estate, warm caches): ${validate.seconds.toFixed(2)} s, ${validate.peakMiB.toFixed(0)} MiB`,
  );
  console.log(
    `diff --base HEAD (default estate): ${diff.seconds.toFixed(2)} s, ${diff.peakMiB.toFixed(0)} MiB`,
  );
}
