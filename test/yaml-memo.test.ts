import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildCluster } from "../charts/index.ts";
import { CODE_IDENTITY } from "../lib/cache/code-identity.ts";
import { CodeMemo, objectDigest } from "../lib/cache/code-memo.ts";
import { toYaml } from "../lib/k8s/yaml.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import { rememberedYaml } from "../lib/synth/yaml-memo.ts";
import { renderFixtureEstate, sandboxWithOwnCache } from "./helpers.ts";

const identity = globalThis as Record<symbol, unknown>;
afterEach(() => {
  delete identity[CODE_IDENTITY];
});

describe("synth's YAML remembered between processes", () => {
  it("is kept per object and code identity, and not at all without a code identity", () => {
    const root = sandboxWithOwnCache(["synth-yaml"]);
    const object = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { k: "v" } };
    const untracked = rememberedYaml(root);
    untracked.toYaml(object);
    untracked.save();
    expect(() => readdirSync(join(root, "node_modules/.cache/synth-yaml"))).toThrow();

    identity[CODE_IDENTITY] = "main-0123456789abcdef.mjs:lock";
    const first = rememberedYaml(root);
    expect(first.toYaml(object)).toBe(toYaml(object));
    first.save();
    expect(readdirSync(join(root, "node_modules/.cache/synth-yaml"))).toHaveLength(1);
    const changed = { ...object, data: { k: "w" } };
    expect(rememberedYaml(root).toYaml(changed)).toBe(toYaml(changed));
    const remembered = () => CodeMemo.open<string>(root, "synth-yaml").get(objectDigest(object));
    expect(remembered()).toBe(toYaml(object));
    identity[CODE_IDENTITY] = "main-fedcba9876543210.mjs:lock";
    expect(remembered()).toBeUndefined();
  });

  it("renders exactly the tree a synth without it renders, on the run that fills it and the next", async () => {
    const { estate, tree, root } = await renderFixtureEstate();
    const own = sandboxWithOwnCache(["synth-yaml", "schema-verdicts"]);
    identity[CODE_IDENTITY] = "main-0123456789abcdef.mjs:lock";
    expect(await synthesize(estate, own, buildCluster)).toEqual(tree);
    const [file] = readdirSync(join(own, "node_modules/.cache/synth-yaml"));
    const memo = join(own, "node_modules/.cache/synth-yaml", file as string);
    const filled = statSync(memo).mtimeMs;
    expect(await synthesize(estate, own, buildCluster)).toEqual(tree);
    // Every object was found: the second run learned nothing, so it wrote nothing.
    expect(statSync(memo).mtimeMs).toBe(filled);
    expect(root).not.toBe(own);
  });
});
