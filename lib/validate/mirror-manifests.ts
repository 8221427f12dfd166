import type { HydratedEstate } from "../hydrate/index.ts";
import type { Estate } from "../inventory/model.ts";
import { mirrorFilesOf } from "../mirror/files.ts";
import { MIRROR_DIR } from "../mirror/manifest.ts";

/**
 * Each cluster's `dist/mirror/<cluster>.yaml` lists exactly what the hydrated estate pulls: a hand
 * edit, or a dist/ rendered before a change, would let the mirror job miss an image the cluster then
 * cannot pull.
 */
export function staleMirrorManifests(
  root: string,
  estate: Estate,
  hydrated: HydratedEstate,
  files: ReadonlyMap<string, string>,
): string[] {
  const expected = mirrorFilesOf(root, estate, hydrated);
  const problems: string[] = [];
  for (const [path, content] of expected) {
    const actual = files.get(path);
    if (actual === undefined) problems.push(`${path}: missing; run npm run synth`);
    else if (actual !== content)
      problems.push(
        `${path}: does not list what the hydrated estate pulls (${firstDifference(actual, content)}); run npm run synth`,
      );
  }
  for (const path of files.keys())
    if (path.startsWith(`${MIRROR_DIR}/`) && !expected.has(path))
      problems.push(`${path}: no cluster of the inventory; run npm run synth`);
  return problems;
}

function firstDifference(actual: string, expected: string): string {
  const a = actual.split("\n");
  const e = expected.split("\n");
  const i = e.findIndex((line, n) => a[n] !== line);
  const at = i < 0 ? e.length : i;
  return `line ${at + 1}: expected "${(e[at] ?? "").trim()}", found "${(a[at] ?? "").trim()}"`;
}
