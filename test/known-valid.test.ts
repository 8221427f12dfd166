import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { main as validateMain } from "../commands/validate.ts";
import { CODE_IDENTITY } from "../lib/cache/code-identity.ts";
import { objectDigest } from "../lib/cache/code-memo.ts";
import { KnownValid } from "../lib/schemas/known-valid.ts";
import { writeDistAtomically } from "../lib/synth/write.ts";
import { renderFixtureEstate, runMain, sandboxWithOwnCache } from "./helpers.ts";

const identity = globalThis as Record<symbol, unknown>;
afterEach(() => {
  delete identity[CODE_IDENTITY];
});

describe("schema verdicts remembered between processes", () => {
  it("are kept per code identity and validators, and not at all without a code identity", () => {
    const root = sandboxWithOwnCache(["schema-verdicts"]);
    const digest = objectDigest({ kind: "Keycloak", spec: { instances: 1 } });
    const untracked = KnownValid.open(root, "crd-validators-a");
    untracked.add(digest);
    untracked.save();
    expect(KnownValid.open(root, "crd-validators-a").has(digest)).toBe(false);

    identity[CODE_IDENTITY] = "main-0123456789abcdef.mjs:lock";
    const first = KnownValid.open(root, "crd-validators-a");
    first.add(digest);
    first.save();
    expect(KnownValid.open(root, "crd-validators-a").has(digest)).toBe(true);
    expect(KnownValid.open(root, "crd-validators-b").has(digest)).toBe(false);
    identity[CODE_IDENTITY] = "main-fedcba9876543210.mjs:lock";
    expect(KnownValid.open(root, "crd-validators-a").has(digest)).toBe(false);
    expect(objectDigest({ kind: "Keycloak", spec: { instances: 2 } })).not.toBe(digest);
  });

  it("never hide a change: validate, then again with a field the Keycloak CRD does not have", async () => {
    const root = sandboxWithOwnCache(["schema-verdicts"]);
    writeDistAtomically(root, (await renderFixtureEstate()).tree);
    // As bin/run.mjs names the code that runs: the first run remembers every object (on disk, as a
    // process would); the second must still see the one that changed.
    identity[CODE_IDENTITY] = "main-0123456789abcdef.mjs:lock";
    expect((await runMain(validateMain, [], root)).status).toBe(0);
    const file = join(root, "dist/clusters/rke2-core/apps/identity/keycloak-keycloak.yaml");
    const keycloak = parse(readFileSync(file, "utf8"));
    keycloak.spec.instancez = 2;
    writeFileSync(file, stringify(keycloak));
    const result = await runMain(validateMain, [], root);
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain(
      'dist/clusters/rke2-core/apps/identity/keycloak-keycloak.yaml: Keycloak "keycloak": /spec must NOT have additional properties: "instancez"',
    );
  });
});
