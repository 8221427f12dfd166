import { execFileSync } from "node:child_process";

/** Runs git in `root` and returns its trimmed output; throws with git's stderr on failure. */
export function git(root: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** Runs git with a private index file, leaving the user's index untouched. */
export function gitWithIndex(root: string, index: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, GIT_INDEX_FILE: index },
  }).trim();
}
