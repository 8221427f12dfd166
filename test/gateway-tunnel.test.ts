import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Estate } from "../lib/inventory/model.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { validateHydrated } from "../lib/validate/hydrated.ts";
import { REPO, renderDefaultEstate } from "./helpers.ts";

/** The core gateway answers the other clusters only with authentication, on the rendered estate. */
let estate: Estate;
let tree: FileTree;
beforeAll(async () => {
  ({ estate, tree } = await renderDefaultEstate());
});
const ROUTE = "dist/clusters/rke2-core/apps/meetdata/httproute-meetdata-api-0.yaml";

describe("routes through the tunnel", () => {
  it("the internal routes the tunnel may not use refuse its sources; JWT and forwarded routes serve it", () => {
    const route = parse(tree.get(ROUTE) as string);
    expect(route.metadata.annotations["konghq.com/plugins"]).toBe("tunnel-deny");
    const plugin = parse(
      tree.get("dist/clusters/rke2-core/apps/meetdata/kongplugin-tunnel-deny.yaml") as string,
    );
    expect(plugin).toMatchObject({
      plugin: "ip-restriction",
      config: { deny: ["10.11.2.0/24", "10.40.2.0/24"] },
    });
    const sso = parse(tree.get("dist/clusters/rke2-core/apps/identity/httproute-sso-realms.yaml") as string);
    expect(sso.spec.rules[0].matches[0].path).toEqual({ type: "PathPrefix", value: "/realms/" });
  });

  it("validate refuses a route that would answer the other clusters without authentication", async () => {
    const broken = new Map(tree);
    const route = parse(tree.get(ROUTE) as string);
    delete route.metadata.annotations;
    broken.set(ROUTE, stringify(route));
    const { problems } = await validateHydrated(REPO, broken, estate);
    expect(problems).toContain(
      `${ROUTE}: cluster "rke2-core": HTTPRoute meetdata/meetdata-api-0: serves meetdata.core.waterschap.example to 10.11.2.0/24, 10.40.2.0/24 (other clusters, through the tunnel) without authentication; add JWT callers, or let tunnel-deny refuse them`,
    );
  });
});
