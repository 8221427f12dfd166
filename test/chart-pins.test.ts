import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { vendoredChart } from "../lib/helm/releases.ts";
import { RANCHER_WEBHOOK_CHART } from "../lib/hydrate/rancher-system-charts.ts";
import { REPO } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

describe("the chart pins", () => {
  const archives = readdirSync(join(REPO, "vendor/charts")).filter((f) => f.endsWith(".tgz"));
  const pinned = [...PLATFORM_COMPONENTS, RANCHER_WEBHOOK_CHART].map((p) => `${p.chart}-${p.version}.tgz`);

  it("each have their vendored archive, and each archive is pinned", () => {
    expect(pinned.filter((a) => !archives.includes(a))).toEqual([]);
    expect(archives.filter((a) => !pinned.includes(a))).toEqual([]);
  });

  it("each archive has its row (source, release, license) in vendor/SOURCES.md", () => {
    const sources = readFileSync(join(REPO, "vendor/SOURCES.md"), "utf8");
    expect(archives.filter((a) => !sources.includes(`| \`${a}\` |`))).toEqual([]);
  });
});

describe("a vendored archive", () => {
  it("is the chart its name says, or names what it holds instead", () => {
    const root = tempDir("archives-");
    mkdirSync(join(root, "vendor/charts"), { recursive: true });
    const pin = PLATFORM_COMPONENTS.find((c) => c.name === "kyverno")!;
    copyFileSync(
      join(REPO, `vendor/charts/${pin.chart}-${pin.version}.tgz`),
      join(root, "vendor/charts/tempo-9.9.9.tgz"),
    );
    expect(vendoredChart(root, "tempo", "9.9.9")).toBe(
      `vendor/charts/tempo-9.9.9.tgz holds chart ${pin.chart} ${pin.version}`,
    );
    const own = vendoredChart(REPO, pin.chart, pin.version);
    expect(typeof own === "string" ? own : own.metadata.name).toBe(pin.chart);
    expect(typeof own === "string" ? 0 : own.files.size).toBeGreaterThan(0);
    expect(vendoredChart(root, "absent", "1.0.0")).toContain("is not vendored");
  });
});
