import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { ESTATE_MAP, estateMap } from "../lib/docs/estate-map.ts";
import type { Estate } from "../lib/inventory/model.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";

type Mermaid = { parse(text: string): Promise<unknown> };
let mermaid: Mermaid;
let estate: Estate;
let map: string;

beforeAll(async () => {
  // Mermaid sanitises labels with DOMPurify, which needs a DOM: jsdom gives it one.
  const dom = new JSDOM("");
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = (await import("mermaid")).default as unknown as Mermaid;
  const rendered = await renderFixtureEstate();
  estate = rendered.estate;
  map = rendered.tree.get(ESTATE_MAP) as string;
}, 60_000);

const diagrams = (markdown: string) =>
  [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe("the estate map", () => {
  it("is rendered into dist/docs/ and every diagram is valid Mermaid, by Mermaid's own parser", async () => {
    expect(map).toBe(estateMap(estate));
    const blocks = diagrams(map);
    expect(blocks.length).toBe(3 + estate.clusters.length);
    for (const block of blocks) await expect(mermaid.parse(block)).resolves.toBeTruthy();
  });

  it("the README's map excerpt is valid Mermaid too", async () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const blocks = diagrams(readme);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) await expect(mermaid.parse(block)).resolves.toBeTruthy();
  });

  it("the parser would catch a broken diagram", async () => {
    await expect(mermaid.parse("flowchart LR\n  a -->> [b")).rejects.toThrow(/Parse error/);
  });

  it("shows every workload with its data level, every route and the cross-cluster data paths", () => {
    for (const p of estate.placements)
      expect(map).toContain(`${p.workload.name}<br/>${p.workload.dataLevel}`);
    expect(map).toContain("mcp.core.waterschap.example/mcp<br/>JWT: cloud-agents");
    expect(map).toContain("publication anonymised_tables");
    expect(map).toContain("anonymized-training-data only");
    expect(map).toContain("WAL + daily base backup");
  });

  it("changes when a workload or a connection changes", () => {
    const [first, ...rest] = estate.placements;
    const moved = { ...(first as Estate["placements"][number]), version: "9.9.9" };
    const added = (other: string) => other.split("\n").filter((line) => !map.split("\n").includes(line));
    expect(added(estateMap({ ...estate, placements: [moved, ...rest] }))).toEqual([
      expect.stringContaining(`${moved.workload.name}<br/>${moved.workload.dataLevel} · 9.9.9`),
    ]);
    const withFlow = estate.placements.map((p) =>
      p.workload.name === "portal-api" && p.stage === "prod"
        ? { ...p, workload: { ...p.workload, flows: [...p.workload.flows, { to: "waterpeil-portal" }] } }
        : p,
    );
    // Exactly one new arrow: the new connection, from portal-api to waterpeil-portal on its port.
    expect(added(estateMap({ ...estate, placements: withFlow }))).toEqual([
      expect.stringMatching(/"portal\/portal-api"\] -->\|"8080"\| \S+\["portal\/waterpeil-portal"\]$/),
    ]);
  });
});
