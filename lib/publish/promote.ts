import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEstate } from "../estate/load.ts";
import type { PinnedComponent } from "../inventory/component.ts";
import { STAGES, type Stage } from "../inventory/schema.ts";
import { closest } from "../suggest.ts";

export class PromotionRefused extends Error {}

export interface Promotion {
  /** True when `to` already runs the version of `from`: nothing was edited. */
  readonly unchanged: boolean;
  /** The catalogue file as it was, to undo the edit. */
  readonly original?: string;
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

/** Promotion moves a version one OTAP step forward: dev -> test -> acc -> prod. */
function checkStep(from: Stage, to: Stage): void {
  const [i, j] = [STAGES.indexOf(from), STAGES.indexOf(to)];
  const next = STAGES[i + 1];
  const forward = next ? `${from} -> ${next}` : `${from} is the last stage`;
  if (i === j)
    throw new PromotionRefused(
      `--from and --to are both ${from}; a promotion moves a version one step forward (${forward})`,
    );
  if (j < i)
    throw new PromotionRefused(
      `${from} -> ${to} goes backwards; to roll ${to} back, set its deploy.${to}.version in the catalogue`,
    );
  if (j > i + 1)
    throw new PromotionRefused(`${from} -> ${to} skips a step; promote one step at a time (${forward})`);
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
  components: readonly PinnedComponent[],
): Promise<Promotion> {
  const from = stage(fromArg, "--from");
  const to = stage(toArg, "--to");
  checkStep(from, to);
  const estate = await loadEstate(root, components);
  if (!estate.workloads.some((w) => w.name === workload))
    throw new PromotionRefused(
      `workload "${workload}" does not exist${closest(
        workload,
        estate.workloads.map((w) => w.name),
      )}`,
    );
  const source = estate.placements.find((p) => p.workload.name === workload && p.stage === from);
  const target = estate.placements.find((p) => p.workload.name === workload && p.stage === to);
  if (!source) throw new PromotionRefused(`workload "${workload}" is not deployed to ${from}`);
  if (!target)
    throw new PromotionRefused(`workload "${workload}" is not deployed to ${to}; add deploy.${to} first`);
  const base = {
    file: source.workload.source,
    workload,
    from,
    to,
    previous: target.version,
    version: source.version,
  };
  if (source.version === target.version) return { ...base, unchanged: true };

  const file = source.workload.source;
  const text = readFileSync(join(root, file), "utf8");
  const start = text.indexOf(`name: "${workload}"`);
  const next = text.indexOf("defineWorkload(", start);
  const block = text.slice(start, next === -1 ? undefined : next);
  // The pin in force: the one holding the version the estate runs there, not a commented-out one.
  const pin = new RegExp(`(\\b${to}:\\s*\\{[^}]*?version:\\s*")(${escapeRegExp(target.version)})(")`, "gs");
  const match = [...block.matchAll(pin)].find((m) => !inComment(block, m.index));
  if (start === -1 || !match)
    throw new PromotionRefused(
      `cannot find the deploy.${to}.version "${target.version}" of "${workload}" in ${file} (outside comments); edit it by hand`,
    );
  const at = match.index;
  const edited =
    block.slice(0, at) + match[1] + source.version + match[3] + block.slice(at + match[0].length);
  writeFileSync(join(root, file), text.slice(0, start) + edited + (next === -1 ? "" : text.slice(next)));
  return { ...base, unchanged: false, original: text };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether a position of a source text sits in a `//` line comment or a block comment. */
function inComment(text: string, at: number): boolean {
  const line = text.slice(text.lastIndexOf("\n", at) + 1, at);
  if (line.includes("//")) return true;
  return text.lastIndexOf("/*", at) > text.lastIndexOf("*/", at);
}
