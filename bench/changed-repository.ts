import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { git } from "../lib/git.ts";

const IDENTITY = ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"];

/**
 * Turns `root` (holding a rendered dist/) into a Git repository of two commits: the tree as rendered,
 * then `count` objects spread over the whole tree each given a new annotation, as a large change
 * would. HelmReleases are left alone: the generated estate's filler chart is not vendored.
 */
export function commitChangedObjects(root: string, count: number): void {
  git(root, "init", "-q", "-b", "main");
  git(root, ...IDENTITY, "add", "dist");
  git(root, ...IDENTITY, "commit", "-q", "-m", "rendered");
  const candidates = objectFiles(join(root, "dist/clusters")).filter(
    (file) => !file.includes("/helmrelease-"),
  );
  const stride = Math.max(1, Math.floor(candidates.length / count));
  const changed = candidates.filter((_, i) => i % stride === 0).slice(0, count);
  for (const file of changed) {
    const manifest = parse(readFileSync(file, "utf8"));
    manifest.metadata.annotations = { ...manifest.metadata.annotations, "bench/changed": "true" };
    writeFileSync(file, stringify(manifest));
  }
  git(root, ...IDENTITY, "commit", "-q", "-a", "-m", `${changed.length} objects changed`);
  if (changed.length !== count) throw new Error(`only ${changed.length} objects to change in ${root}`);
}

function objectFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name !== "kustomization.yaml")
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
