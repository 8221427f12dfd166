import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import rke2Cloud from "../clusters/rke2-cloud.ts";
import rke2Core from "../clusters/rke2-core.ts";
import rke2Mgmt from "../clusters/rke2-mgmt.ts";
import rke2Nonprod from "../clusters/rke2-nonprod.ts";
import { EstateError } from "../lib/errors.ts";
import { loadEstate } from "../lib/estate/load.ts";
import { type ClusterSource, validateEstate } from "../lib/estate/validate.ts";
import type { ClusterInput } from "../lib/inventory/schema.ts";
import { REPO } from "./helpers.ts";

const readKey = (path: string) => readFileSync(join(REPO, path), "utf8");
const defaults: ClusterSource[] = [rke2Cloud, rke2Core, rke2Nonprod, rke2Mgmt].map((c) => ({
  file: `clusters/${c.name}.ts`,
  input: c,
}));

function errorOf(sources: ClusterSource[]): string {
  try {
    validateEstate(sources, [], readKey, PLATFORM_COMPONENTS);
  } catch (error) {
    expect(error).toBeInstanceOf(EstateError);
    return (error as Error).message;
  }
  throw new Error("expected the estate to be rejected");
}

function withCloud(patch: (c: ClusterInput) => unknown): ClusterSource[] {
  const cloud = structuredClone(rke2Cloud);
  return [{ file: "clusters/rke2-cloud.ts", input: patch(cloud) ?? cloud }, ...defaults.slice(1)];
}

describe("the default inventory", () => {
  it("holds the clusters of the design with their facts: three, and Rancher's management cluster", async () => {
    const estate = await loadEstate(REPO, PLATFORM_COMPONENTS);
    const byName = Object.fromEntries(estate.clusters.map((c) => [c.name, c]));
    expect(Object.keys(byName)).toEqual(["rke2-cloud", "rke2-core", "rke2-nonprod", "rke2-mgmt"]);
    expect(byName["rke2-mgmt"]).toMatchObject({
      location: "on-prem",
      production: true,
      hosts: ["management"],
    });
    expect(byName["rke2-cloud"]).toMatchObject({ location: "cloud", production: true, gpuNodes: false });
    expect(byName["rke2-core"]).toMatchObject({ location: "on-prem", production: true, gpuNodes: true });
    expect(byName["rke2-nonprod"]).toMatchObject({
      location: "on-prem",
      production: false,
      stages: ["dev", "test", "acc"],
    });
    for (const c of estate.clusters) {
      expect(c.git.url).toMatch(/^https:\/\/gitea\./);
      expect(c.images.cosignPublicKeyPem).toContain("BEGIN PUBLIC KEY");
      expect(c.source).toBe(`clusters/${c.name}.ts`);
    }
  });
});

describe("bad inventory is rejected with the file, cluster and field", () => {
  it("a platform contract that does not fit the cluster", () => {
    const message = errorOf(
      withCloud((c) => {
        c.gpuNodes = true;
        c.provider = "datacenter";
        c.location = "on-prem";
        c.platform.storageClasses = c.platform.storageClasses.map((s) => ({ ...s, default: true }));
      }),
    );
    expect(message).toContain(
      'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "platform.gpu": is required when gpuNodes is true',
    );
    expect(message).toContain(
      'field "platform.storageClasses": marks 2 classes as default; at most one may be',
    );
    expect(message).toContain(
      'field "platform.loadBalancer.implementation": "azure" does not fit provider "datacenter"',
    );
    const precompiled = errorOf(
      withCloud((c) => {
        c.gpuNodes = true;
        c.platform.gpu = { driver: "precompiled", nodeOs: "ubuntu22.04" };
      }),
    );
    expect(precompiled).toContain('field "platform.gpu.kernel": is required for precompiled drivers');
  });

  it("a cluster whose name does not match its file (a mistyped name)", () => {
    const message = errorOf(withCloud((c) => ({ ...c, name: "rke2-clod" })));
    expect(message).toContain('clusters/rke2-cloud.ts: cluster "rke2-clod": field "name"');
    expect(message).toContain('expected "rke2-cloud"');
  });

  it("a cluster name that is not a DNS label", () => {
    const message = errorOf(withCloud((c) => ({ ...c, name: "RKE2_Cloud" })));
    expect(message).toMatch(
      /clusters\/rke2-cloud\.ts: cluster "RKE2_Cloud": field "name": must be a DNS-1123 label/,
    );
  });

  it("an invalid DNS domain", () => {
    const message = errorOf(withCloud((c) => ({ ...c, dns: { domain: "cloud..waterschap.example" } })));
    expect(message).toContain(
      'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "dns.domain": must be a lowercase DNS name',
    );
  });

  it("an unknown OTAP stage", () => {
    const message = errorOf(withCloud((c) => ({ ...c, stages: ["productie"] })));
    expect(message).toContain('field "stages.0"');
    expect(message).toMatch(/dev.*test.*acc.*prod/);
  });

  it("prod mixed with non-prod stages on one cluster", () => {
    expect(errorOf(withCloud((c) => ({ ...c, stages: ["acc", "prod"] })))).toContain(
      "mixes prod with non-prod",
    );
  });

  it("a misspelt field", () => {
    const message = errorOf(withCloud((c) => ({ ...c, gpuNode: false })));
    expect(message).toContain('clusters/rke2-cloud.ts: cluster "rke2-cloud"');
    expect(message).toMatch(/gpuNode/);
  });

  it("a git URL that Flux cannot clone", () => {
    const message = errorOf(
      withCloud((c) => ({ ...c, git: { url: "gitea.waterschap.example/estate", branch: "main" } })),
    );
    expect(message).toContain('field "git.url"');
  });

  it("a cosign key file that is missing or not a public key", () => {
    expect(
      errorOf(withCloud((c) => ({ ...c, images: { ...c.images, cosignPublicKey: "keys/missing.pub" } }))),
    ).toContain('field "images.cosignPublicKey": cannot read "keys/missing.pub"');
    expect(
      errorOf(withCloud((c) => ({ ...c, images: { ...c.images, cosignPublicKey: "keys/README.pub" } }))),
    ).toContain("images.cosignPublicKey");
  });

  it("two clusters with the same domain", () => {
    const message = errorOf(withCloud((c) => ({ ...c, dns: { domain: "core.waterschap.example" } })));
    expect(message).toContain('field "dns.domain": is already used by cluster');
  });

  it("reports every problem at once", () => {
    const message = errorOf(withCloud((c) => ({ ...c, stages: ["productie"], dns: { domain: "x" } })));
    const lines = message.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => l.includes('field "stages.0"'))).toBe(true);
    expect(lines.some((l) => l.includes('field "dns.domain"'))).toBe(true);
  });
});
