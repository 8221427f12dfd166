import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { REPO } from "./helpers.ts";

/**
 * Golden output: what a command prints, kept under test/golden/ and reviewed in the pull request like
 * any other text. `UPDATE_GOLDEN=1 npx vitest run <test>` writes the files anew; otherwise a missing
 * or different file fails the test.
 */
const GOLDEN = join(REPO, "test/golden");

export function golden(name: string): string {
  const file = join(GOLDEN, name);
  if (!existsSync(file))
    throw new Error(`test/golden/${name} does not exist; write it with UPDATE_GOLDEN=1 npx vitest run`);
  return readFileSync(file, "utf8");
}

export function expectGolden(name: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dirname(join(GOLDEN, name)), { recursive: true });
    writeFileSync(join(GOLDEN, name), actual);
  }
  expect(actual, `test/golden/${name}`).toBe(golden(name));
}

export const firstLine = (text: string): string => text.split("\n")[0] as string;
