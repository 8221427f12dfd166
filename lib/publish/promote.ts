import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEstate } from "../inventory/load.ts";
import { STAGES, type Stage } from "../inventory/schema.ts";

export class PromotionRefused extends Error {}

export interface Promotion {
  readonly file: string;
  readonly workload: string;
  readonly from: Stage;
  readonly to: Stage;
  readonly previous: string;
  readonly version: string;
}

function stage(value: string, flag: string): Stage {
  if (!(STAGES as readonly string[]).includes(value)) {
    throw new PromotionRefused(`${flag} must be one of ${STAGES.join(", ")}, not "${value}"`);
  }
  return value as Stage;
}

/**
 * Moves a workload's version pin one OTAP step (dev -> test -> acc -> prod) by editing its catalogue
 * file: the version of `from` becomes the version of `to`. Refuses to skip a step or to promote into
 * an environment the workload is not deployed to.
 */
export async function promote(
  root: string,
  workload: string,
  fromArg: string,
  toArg: string,
): Promise<Promotion> {
  const from = stage(fromArg, "--from");
  const to = stage(toArg, "--to");
  if (STAGES.indexOf(to) !== STAGES.indexOf(from) + 1) {
    const next = STAGES[STAGES.indexOf(from) + 1];
    throw new PromotionRefused(
      `${from} -> ${to} skips a step; promote one step at a time (${next ? `${from} -> ${next}` : `${from} is the last stage`})`,
    );
  }
  const estate = await loadEstate(root);
  const source = estate.placements.find((p) => p.workload.name === workload && p.stage === from);
  const target = estate.placements.find((p) => p.workload.name === workload && p.stage === to);
  if (!source) throw new PromotionRefused(`workload "${workload}" is not deployed to ${from}`);
  if (!target)
    throw new PromotionRefused(`workload "${workload}" is not deployed to ${to}; add deploy.${to} first`);

  const file = source.workload.source;
  const text = readFileSync(join(root, file), "utf8");
  const start = text.indexOf(`name: "${workload}"`);
  const next = text.indexOf("defineWorkload(", start);
  const block = text.slice(start, next === -1 ? undefined : next);
  const pin = new RegExp(`(\\b${to}:\\s*\\{[^}]*?version:\\s*")([^"]*)(")`, "s");
  const match = pin.exec(block);
  if (start === -1 || !match)
    throw new PromotionRefused(`cannot find deploy.${to}.version of "${workload}" in ${file}`);
  const edited = block.replace(pin, `$1${source.version}$3`);
  writeFileSync(join(root, file), text.slice(0, start) + edited + (next === -1 ? "" : text.slice(next)));
  return { file, workload, from, to, previous: target.version, version: source.version };
}
