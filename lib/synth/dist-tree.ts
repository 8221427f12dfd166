import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { EstateError } from "../errors.ts";
import { interruptedSwap } from "./write.ts";

/** Reads every file below `<root>/<dir>` into a map keyed by repository-relative path, sorted. */
export function readTree(root: string, dir = "dist"): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, "utf8"));
    }
  };
  walk(join(root, dir));
  return files;
}

/** Why there is no dist/ to read (an interrupted synth, or none yet), or undefined when there is one. */
export function missingDist(root: string): string | undefined {
  if (existsSync(join(root, "dist"))) return undefined;
  return interruptedSwap(root) ?? "dist/ does not exist; run `npm run synth`";
}

/** The rendered tree in dist/, for a command that needs one; a missing dist/ is the user's to fix. */
export function readDist(root: string): Map<string, string> {
  const missing = missingDist(root);
  if (missing) throw new EstateError([{ message: missing }]);
  return readTree(root, "dist");
}
