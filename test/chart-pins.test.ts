import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHART_PINS, SYSTEM_CHART_PINS } from "../lib/flux/chart-pins.ts";
import { REPO } from "./helpers.ts";

describe("the chart pins", () => {
  const archives = readdirSync(join(REPO, "vendor/charts")).filter((f) => f.endsWith(".tgz"));
  const pinned = [...Object.values(CHART_PINS), ...Object.values(SYSTEM_CHART_PINS)].map(
    (p) => `${p.chart}-${p.version}.tgz`,
  );

  it("each have their vendored archive, and each archive is pinned", () => {
    expect(pinned.filter((a) => !archives.includes(a))).toEqual([]);
    expect(archives.filter((a) => !pinned.includes(a))).toEqual([]);
  });

  it("each archive has its row (source, release, license) in vendor/SOURCES.md", () => {
    const sources = readFileSync(join(REPO, "vendor/SOURCES.md"), "utf8");
    expect(archives.filter((a) => !sources.includes(`| \`${a}\` |`))).toEqual([]);
  });
});
