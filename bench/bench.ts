import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type CommandSpec, parseCommand, usageError } from "../lib/cli/command.ts";
import { loadEstate } from "../lib/inventory/load.ts";
import type { Estate } from "../lib/inventory/model.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import { type ClusterBuilder, renderEstate } from "../lib/synth/render.ts";
import { toYaml } from "../lib/synth/tree.ts";
import { writeDistAtomically } from "../lib/synth/write.ts";
import { generatedEstate, paddedBuilder } from "./estates.ts";

/**
 * `npm run bench`: synth (render + guards + schemas + atomic write) of the default estate and of a
 * generated 30 x 100 estate, against the floor for the same output: serialising the same objects to
 * YAML and writing them, nothing else. Each scenario runs in its own process so its peak memory is
 * its own. Median of RUNS runs after one warm-up.
 */
const RUNS = 5;
const root = process.cwd();

interface Scenario {
  readonly estate: () => Promise<Estate>;
  readonly build?: ClusterBuilder;
}

const SCENARIOS: Record<string, Scenario> = {
  default: { estate: () => loadEstate(root) },
  "large-30x100": { estate: async () => generatedEstate(root, 30), build: paddedBuilder(100) },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function time(fn: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function runScenario(name: string, mode: "synth" | "floor"): Promise<void> {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const estate = await scenario.estate();
  const out = mkdtempSync(join(tmpdir(), "bench-"));
  const objects = renderEstate(estate, scenario.build);
  const once =
    mode === "synth"
      ? async () => writeDistAtomically(out, await synthesize(estate, root, scenario.build))
      : () => {
          for (const [i, o] of objects.entries()) {
            const file = join(out, "floor", o.cluster.name, `${i}.yaml`);
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(file, toYaml(o.manifest));
          }
        };
  await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await time(once));
  rmSync(out, { recursive: true, force: true });
  const result = {
    ms: median(times),
    objects: objects.length,
    peakMiB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(result));
}

function measure(name: string, mode: "synth" | "floor") {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string, name, mode], {
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split("\n").pop() as string) as {
    ms: number;
    objects: number;
    peakMiB: number;
  };
}

const BENCH: CommandSpec = {
  name: "bench",
  usage: "[<scenario> [synth|floor]]",
  summary: `Times synth (render, guards, schemas, atomic write) against the floor for the same output (only
serialising and writing the same objects), median of ${RUNS} runs, each scenario in its own process.
Scenarios: ${Object.keys(SCENARIOS).join(", ")}. Without arguments: all of them, as a table.`,
  options: {},
  positionals: { min: 0, max: 2 },
  examples: ["npm run bench", "npm run bench -- default"],
};
const [scenarioArg, modeArg] = parseCommand(BENCH).positionals;
if (scenarioArg && !SCENARIOS[scenarioArg])
  usageError(BENCH, `unknown scenario "${scenarioArg}" (scenarios: ${Object.keys(SCENARIOS).join(", ")})`);
if (modeArg && modeArg !== "synth" && modeArg !== "floor")
  usageError(BENCH, `mode must be synth or floor, not "${modeArg}"`);
if (scenarioArg) {
  await runScenario(scenarioArg, modeArg === "floor" ? "floor" : "synth");
} else {
  console.log(`bench: median of ${RUNS} runs, node ${process.version}`);
  console.log("scenario        objects   synth ms   floor ms   ratio   synth peak MiB   floor peak MiB");
  for (const name of Object.keys(SCENARIOS)) {
    const synth = measure(name, "synth");
    const floor = measure(name, "floor");
    console.log(
      [
        name.padEnd(14),
        String(synth.objects).padStart(8),
        synth.ms.toFixed(0).padStart(10),
        floor.ms.toFixed(0).padStart(10),
        (synth.ms / floor.ms).toFixed(1).padStart(7),
        synth.peakMiB.toFixed(0).padStart(16),
        floor.peakMiB.toFixed(0).padStart(16),
      ].join(" "),
    );
  }
}
