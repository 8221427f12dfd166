import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

const made: string[] = [];

/** A fresh directory under the system temp dir, removed after the test file that made it (see remove-temp-dirs.ts). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh directory that lives until the whole run ends (removed by global-setup.ts): for what the
 * test files of a worker share, such as the rendered fixture estate (vitest runs them unisolated).
 */
export function sharedTempDir(prefix: string): string {
  return mkdtempSync(join(inject("runDir"), prefix));
}
