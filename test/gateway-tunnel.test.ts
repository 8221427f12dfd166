import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Estate } from "../lib/inventory/model.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { validateHydrated } from "../lib/validate/hydrated.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";

/** The core gateway answers the other clusters only with authentication, on the rendered estate. */
let estate: Estate;
let tree: FileTree;
beforeAll(async () => {
  ({ estate, tree } = await renderFixtureEstate());
});
const ROUTE = "dist/clusters/rke2-core/apps/meetdata/httproute-meetdata-api-0.yaml";

describe("routes through the tunnel", () => {
  it("the internal routes the tunnel may not use refuse its sources; JWT routes serve it", () => {
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

  it("a route the public gateway forwards takes only tokens of the clients it names", async () => {
    const forwarded = "dist/clusters/rke2-core/apps/drone/httproute-webodm-0.yaml";
    const route = parse(tree.get(forwarded) as string);
    expect(route.metadata.annotations["konghq.com/plugins"]).toBe("keycloak-jwt,webodm-callers");
    const acl = parse(
      tree.get("dist/clusters/rke2-core/apps/drone/kongplugin-webodm-callers.yaml") as string,
    );
    expect(acl).toMatchObject({ plugin: "acl", config: { allow: ["webodm-callers"] } });
    const consumer = parse(
      tree.get("dist/clusters/rke2-core/apps/kong/kongconsumer-drone-upload.yaml") as string,
    );
    expect(consumer.credentials).toEqual(["jwt-drone-upload", "acl-drone-upload-webodm-callers"]);
    const realm = parse(
      tree.get("dist/clusters/rke2-core/apps/identity/keycloakrealmimport-waterschap.yaml") as string,
    );
    expect(realm.spec.realm.clients.find((c: any) => c.clientId === "drone-upload")).toMatchObject({
      publicClient: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: false,
      attributes: { "oauth2.device.authorization.grant.enabled": "true" },
    });

    const broken = new Map(tree);
    delete route.metadata.annotations;
    broken.set(forwarded, stringify(route));
    const { problems } = await validateHydrated(REPO, broken, estate);
    expect(problems).toContain(
      `${forwarded}: cluster "rke2-core": HTTPRoute drone/webodm-0: drone.core.waterschap.example is forwarded from a public gateway without authentication: the internet reaches it with only a rate limit; add keycloak-jwt`,
    );
  });
});
