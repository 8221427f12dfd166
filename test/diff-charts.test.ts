import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { diffSides, sideInMemory } from "../lib/diff/compare.ts";
import { ensureLayerTool } from "../lib/k8s/kubectl.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

it("a chart version bump shows the chart's rendered objects that change, with their risk flags", async () => {
  const { tree } = await renderFixtureEstate();
  // A root whose vendor/ also holds tempo 1.24.2: the upstream archive repackaged with a new version
  // and app version (the image tag follows the app version).
  const root = tempDir("chart-bump-");
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
  cpSync(join(REPO, "vendor"), join(root, "vendor"), { recursive: true });
  const work = tempDir("tempo-");
  execFileSync("tar", ["xzf", join(REPO, "vendor/charts/tempo-1.24.1.tgz"), "-C", work]);
  const chartYaml = join(work, "tempo/Chart.yaml");
  const chart = parse(readFileSync(chartYaml, "utf8"));
  writeFileSync(chartYaml, stringify({ ...chart, version: "1.24.2", appVersion: "2.9.1" }));
  execFileSync(ensureLayerTool(REPO, "helm"), [
    "package",
    join(work, "tempo"),
    "-d",
    join(root, "vendor/charts"),
  ]);

  const path = "dist/clusters/rke2-core/apps/observability/ocirepository-tempo.yaml";
  const head = new Map(tree);
  const source = parse(head.get(path) as string);
  source.spec.ref.tag = "1.24.2";
  head.set(path, stringify(source));

  // As `npm run diff` compares: only the changed file is read, and its cluster's charts rendered.
  const diff = await diffSides(root, sideInMemory(tree, "sha1"), sideInMemory(head, "sha1"));
  const changed = diff.changes.map((c) => (c.after ?? c.before)?.path);
  expect(changed).toContain(path);
  expect(changed).toContain("dist/clusters/rke2-core/apps/observability/helm/tempo/statefulset-tempo.yaml");
  const risks = diff.risks.filter((r) => r.cluster === "rke2-core" && r.rule === "image");
  expect(risks.map((r) => r.message)).toContain("chart 1.24.1 -> 1.24.2");
  expect(risks.map((r) => r.message)).toContainEqual(
    expect.stringMatching(
      /image: registry\.waterschap\.example\/docker\.io\/grafana\/tempo:2\.9\.0 -> .*tempo:2\.9\.1$/,
    ),
  );
});
