import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import { loadEstate } from "../lib/estate/load.ts";
import { readTree } from "../lib/synth/dist-tree.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import { writeDistAtomically } from "../lib/synth/write.ts";
import { main as synthMain } from "../main.ts";
import { renderFixtureEstate, runMain, sandbox } from "./helpers.ts";

function synthIn(root: string) {
  return runMain(synthMain, [], root);
}

describe("synth output", () => {
  it("is byte-identical across runs", async () => {
    const { tree: first, root } = await renderFixtureEstate();
    const second = await synthesize(await loadEstate(root, PLATFORM_COMPONENTS), root, buildCluster);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, content] of first) expect(second.get(path), path).toBe(content);
  });

  it("`npm run synth` writes the same bytes twice and replaces stale files", async () => {
    const root = sandbox();
    expect((await synthIn(root)).status).toBe(0);
    const once = readTree(root);
    writeFileSync(
      join(root, "dist/clusters/rke2-cloud/controllers/helmrelease-removed.yaml"),
      "stale: true\n",
    );
    mkdirSync(join(root, "dist/clusters/retired-cluster"), { recursive: true });
    writeFileSync(join(root, "dist/clusters/retired-cluster/kustomization.yaml"), "resources: []\n");
    expect((await synthIn(root)).status).toBe(0);
    expect(readTree(root)).toEqual(once);
    expect(readdirSync(root).filter((f) => f.startsWith("dist."))).toEqual([]);
  });

  it("a synth that fails on bad input exits non-zero, names the problem and leaves dist/ untouched", async () => {
    const root = sandbox();
    expect((await synthIn(root)).status).toBe(0);
    const before = readTree(root);
    const file = join(root, "clusters/rke2-core.ts");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace('domain: "core.waterschap.example"', 'domain: "Core_DC"'),
    );
    const result = await synthIn(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('clusters/rke2-core.ts: cluster "rke2-core": field "dns.domain"');
    expect(result.stderr).toContain("dist/ was left untouched");
    expect(readTree(root)).toEqual(before);
  });

  it("a write that throws halfway leaves the previous dist/ as it was", async () => {
    const root = sandbox();
    expect((await synthIn(root)).status).toBe(0);
    const before = readTree(root);
    // The second path needs a directory where the first one wrote a file: the write fails midway.
    const tree = new Map([
      ["dist/clusters/x/namespace-a.yaml", "a: 1\n"],
      ["dist/clusters/x/namespace-a.yaml/b.yaml", "b: 1\n"],
    ]);
    expect(() => writeDistAtomically(root, tree)).toThrow();
    expect(readTree(root)).toEqual(before);
    expect(readdirSync(root).filter((f) => f.startsWith("dist."))).toEqual([]);
  });
});
