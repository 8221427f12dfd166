import { copyFileSync, cpSync } from "node:fs";
import { join } from "node:path";
import { PLATFORM } from "../charts/index.ts";
import { git } from "../lib/git.ts";
import { synthToDist } from "../lib/synth/run.ts";
import { REPO, sandbox } from "./helpers.ts";
import { sharedTempDir, tempDir } from "./temp-dirs.ts";

let template: Promise<string> | undefined;

/**
 * A sandbox that is a git repository with the synthesised fixture estate committed on main: a copy
 * of one made once per worker (rendering and committing ~1,300 files is most of what a test costs).
 */
export async function repository(): Promise<string> {
  template ??= (async () => {
    const root = sandbox(sharedTempDir("repository-"));
    copyFileSync(join(REPO, ".gitignore"), join(root, ".gitignore"));
    await synthToDist(root, PLATFORM);
    git(root, "init", "-q", "-b", "main");
    git(root, "config", "user.email", "ci@waterschap.example");
    git(root, "config", "user.name", "ci");
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", "estate");
    return root;
  })();
  const root = tempDir("estate-");
  cpSync(await template, root, { recursive: true, verbatimSymlinks: true });
  git(root, "update-index", "-q", "--refresh");
  return root;
}
