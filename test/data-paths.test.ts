import { beforeAll, describe, expect, it } from "vitest";
import { dataPathRisks } from "../lib/diff/data-paths.ts";
import { renderText } from "../lib/diff/report.ts";
import type { Estate, Placement } from "../lib/inventory/model.ts";
import { exposureOf } from "../lib/sovereignty/exposure.ts";
import { DATA_PATHS, dataPathsDocument } from "../lib/sovereignty/paths-doc.ts";
import { dataTransfers } from "../lib/sovereignty/transfers.ts";
import { renderFixtureEstate } from "./helpers.ts";

let estate: Estate;
beforeAll(async () => {
  estate = (await renderFixtureEstate()).estate;
});

/** The estate with one workload's catalogue entry changed (every placement of it). */
function withWorkload(name: string, change: (w: Placement["workload"]) => Placement["workload"]): Estate {
  const placements = estate.placements.map((p) =>
    p.workload.name === name ? { ...p, workload: change(p.workload) } : p,
  );
  return { ...estate, placements };
}
const tree = (e: Estate) => new Map([[DATA_PATHS, dataPathsDocument(e)]]);

describe("data paths in review", () => {
  it("flags a new path and a path that now carries more, and nothing when they stay", () => {
    expect(dataPathRisks(tree(estate), tree(estate))).toEqual([]);
    const flowing = withWorkload("meetdata-api", (w) => ({ ...w, flows: [...w.flows, { to: "webodm" }] }));
    const risks = dataPathRisks(tree(estate), tree(flowing)).map(
      (r) => `[${r.severity}] ${r.object}: ${r.message}`,
    );
    expect(risks).toContain(
      "[high] data path meetdata-api@rke2-core/prod -> webodm@rke2-core/prod: new path carrying high data (clusters/catalogue/meetdata.ts meetdata-api.flows.1)",
    );
    const uncapped = withWorkload("webodm", (w) => ({
      ...w,
      routes: w.routes.map(({ returns: _dropped, ...route }) => route),
    }));
    expect(
      dataPathRisks(tree(estate), tree(uncapped)).map((r) => `[${r.severity}] ${r.object}: ${r.message}`),
    ).toEqual([
      "[high] data path webodm@rke2-core/prod -> rke2-cloud public gateway: now carries high data (was low) (clusters/catalogue/operations.ts webodm.routes.0)",
    ]);
    // and back: adding the claim is flagged too, as a claim to review
    expect(dataPathRisks(tree(uncapped), tree(estate)).map((r) => r.message)).toEqual([
      "now carries low data (was high): a declared anonymising step lowers it; review its reason (clusters/catalogue/operations.ts webodm.routes.0)",
    ]);
  });

  it("shows the flags in the diff even when no object changes", () => {
    const flowing = withWorkload("meetdata-api", (w) => ({ ...w, flows: [...w.flows, { to: "webodm" }] }));
    const text = renderText({ changes: [], clusters: [], risks: dataPathRisks(tree(estate), tree(flowing)) });
    expect(text).toMatch(/^RISKS \(\d+\)\n {2}\[high\] data-path: rke2-core data path/);
  });

  it("explain shows what a workload holds and where its data goes", () => {
    const webodm = estate.placements.find((p) => p.workload.name === "webodm") as Placement;
    expect(exposureOf(estate.clusters, estate.placements, webodm)).toEqual([
      "holds high data (its own is medium): internal-agents (high) -> webodm",
      "sends high data to internal-agents",
      "sends high data to nodeodx",
      "sends high data to webodm-broker",
      "sends low data to rke2-cloud public gateway (lowered by the declared routes.0.returns)",
    ]);
  });
});

describe("environments keep their data apart", () => {
  it("no transfer joins two environments: dev, test and acc never reach prod or each other", () => {
    const crossing = dataTransfers(estate.clusters, estate.placements).filter(
      (t) =>
        t.from.kind === "placement" &&
        t.to.kind === "placement" &&
        t.from.placement.stage !== t.to.placement.stage,
    );
    expect(crossing).toEqual([]);
    const stages = new Set(estate.placements.map((p) => p.stage));
    expect([...stages].sort()).toEqual(["acc", "dev", "prod", "test"]);
  });
});
