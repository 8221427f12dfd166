import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

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
