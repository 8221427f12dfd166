import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { FileTree } from "./tree.ts";

/**
 * Replaces `<root>/dist` with exactly the given tree. Everything is written into a sibling temporary
 * directory first; only a complete tree is swapped in, with two renames on the same file system. A
 * failure before the swap leaves the previous dist/ as it was; files of removed objects disappear
 * because the new tree never contained them.
 */
export function writeDistAtomically(root: string, tree: FileTree): void {
  const dist = join(root, "dist");
  const staging = join(root, `dist.tmp-${process.pid}`);
  const retired = join(root, `dist.old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [path, content] of tree) {
      if (!path.startsWith("dist/")) throw new Error(`refusing to write outside dist/: ${path}`);
      const target = join(staging, path.slice("dist/".length));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const hadDist = existsSync(dist);
  if (hadDist) renameSync(dist, retired);
  try {
    renameSync(staging, dist);
  } catch (error) {
    if (hadDist) renameSync(retired, dist);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(retired, { recursive: true, force: true });
}
