import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTree } from "../lib/synth/dist-tree.ts";
import { DistLockedError, interruptedSwap, type WriteStep, writeDistAtomically } from "../lib/synth/write.ts";
import { REPO } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

const treeOf = (marker: string) =>
  new Map([
    ["dist/clusters/a/namespace-a.yaml", `marker: ${marker}\n`],
    ["dist/clusters/b/namespace-b.yaml", `marker: ${marker}\n`],
  ]);
const asRead = (tree: Map<string, string>) => new Map(tree);

/** Runs the real writer in a child process that SIGKILLs itself right after `step`. */
function killAt(root: string, step: WriteStep): void {
  const child = spawnSync(
    process.execPath,
    [join(REPO, "bin/run.mjs"), "test/fixtures/kill-writer.ts", root, step, "new"],
    { encoding: "utf8", cwd: REPO },
  );
  expect(child.signal, child.stderr).toBe("SIGKILL");
}

describe("the dist/ writer, killed at every step of the swap", () => {
  it.each(["locked", "staged", "retired", "swapped"] as const)(
    "after %s: dist/ is complete (old or new), or the next run recovers it and says so",
    (step) => {
      const root = tempDir("writer-");
      writeDistAtomically(root, treeOf("old"));
      killAt(root, step);

      const left = existsSync(join(root, "dist")) ? readTree(root) : undefined;
      if (left) expect([asRead(treeOf("old")), asRead(treeOf("new"))]).toContainEqual(left);
      else
        expect(interruptedSwap(root)).toMatch(
          /^dist\/ is missing: an interrupted synth left it as dist\.old-\d+/,
        );

      const report = writeDistAtomically(root, treeOf("next"));
      expect(report.staleLockOf, "the dead run's lock is taken over").toBeGreaterThan(0);
      expect(report.recovered !== undefined).toBe(left === undefined);
      if (step !== "locked") expect(report.swept.length + (report.recovered ? 1 : 0)).toBeGreaterThan(0);
      expect(readTree(root)).toEqual(asRead(treeOf("next")));
      expect(readdirSync(root).sort()).toEqual(["dist"]);
    },
  );

  it("refuses to run while another live synth holds the lock, and leaves dist/ alone", () => {
    const root = tempDir("writer-");
    writeDistAtomically(root, treeOf("old"));
    writeFileSync(join(root, ".dist.lock"), `${process.pid}\n`);
    expect(() => writeDistAtomically(root, treeOf("new"))).toThrow(DistLockedError);
    expect(() => writeDistAtomically(root, treeOf("new"))).toThrow(`another synth (pid ${process.pid})`);
    expect(readTree(root)).toEqual(asRead(treeOf("old")));
  });

  it("leaves dist/ and nothing else when dist/ cannot be moved (a mount point)", () => {
    const root = tempDir("writer-");
    writeDistAtomically(root, treeOf("old"));
    // A non-empty folder where dist/ would be retired makes that rename fail, as a mount point does.
    const blockRetire = (step: WriteStep) => {
      if (step !== "staged") return;
      mkdirSync(join(root, `dist.old-${process.pid}`, "x"), { recursive: true });
    };
    expect(() => writeDistAtomically(root, treeOf("new"), { onStep: blockRetire })).toThrow(
      /ENOTEMPTY|EEXIST/,
    );
    expect(readTree(root)).toEqual(asRead(treeOf("old")));
    expect(readdirSync(root).sort()).toEqual(["dist", `dist.old-${process.pid}`]);
  });
});
