import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { cachedJson, digestOf } from "../lib/cache/json-cache.ts";

it("a cached result is worked out once per exact inputs, and anew when any input changes", async () => {
  const root = mkdtempSync(join(tmpdir(), "cache-"));
  mkdirSync(join(root, "node_modules"));
  let computed = 0;
  const work = (inputs: string[]) => cachedJson(root, "area", inputs, () => ({ n: ++computed, inputs }));
  expect(await work(["chart", "values-a"])).toEqual({ n: 1, inputs: ["chart", "values-a"] });
  expect(await work(["chart", "values-a"])).toEqual({ n: 1, inputs: ["chart", "values-a"] });
  expect(await work(["chart", "values-b"])).toEqual({ n: 2, inputs: ["chart", "values-b"] });
  // Inputs are length-prefixed: moving a boundary is a different key.
  expect(digestOf(["ab", "c"])).not.toBe(digestOf(["a", "bc"]));
  expect(digestOf(["é"])).toBe(digestOf([Buffer.from("é")]));
  expect(readdirSync(join(root, "node_modules/.cache/area")).sort()).toHaveLength(2);
});

it("a failed computation leaves nothing behind, so the next run tries again", async () => {
  const root = mkdtempSync(join(tmpdir(), "cache-"));
  await expect(
    cachedJson(root, "area", ["x"], () => {
      throw new Error("helm refused");
    }),
  ).rejects.toThrow("helm refused");
  expect(await cachedJson(root, "area", ["x"], () => "rendered")).toBe("rendered");
});
