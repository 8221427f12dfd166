import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.ts";

/**
 * One direction through the code: the command entries (main.ts, commands/) wire charts/ into lib/;
 * lib/ never imports charts/, clusters/ or a command, and charts/ never imports the inventory or a
 * command (the estate reaches both as data).
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  lib: ["charts", "clusters", "commands", "main.ts", "test", "bench"],
  charts: ["clusters", "commands", "main.ts", "test", "bench"],
};

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

function sources(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
    .map((e) => relative(REPO, join(e.parentPath, e.name)));
}

/** Each relative import of a file, as the repository path it resolves to. */
function importsOf(file: string): string[] {
  return [...readFileSync(join(REPO, file), "utf8").matchAll(IMPORT)].map(([, spec]) =>
    relative(REPO, resolve(dirname(join(REPO, file)), spec as string)),
  );
}

describe("the direction of dependencies", () => {
  for (const [from, forbidden] of Object.entries(FORBIDDEN))
    it(`${from}/ imports none of ${forbidden.join(", ")}`, () => {
      const files = sources(from);
      expect(files.length).toBeGreaterThan(10);
      const wrong = files.flatMap((file) =>
        importsOf(file)
          .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
          .map((target) => `${file} -> ${target}`),
      );
      expect(wrong).toEqual([]);
    });

  it("finds the imports it judges (a command entry imports charts/ and lib/)", () => {
    expect(importsOf("commands/diff.ts")).toEqual(
      expect.arrayContaining(["lib/cli/command.ts", "lib/synth/pipeline.ts", "charts/index.ts"]),
    );
  });
});
