import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, vi } from "vitest";
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

it("a cache file that is truncated or not what its name says is discarded with a note and worked out again", async () => {
  const root = mkdtempSync(join(tmpdir(), "cache-"));
  const dir = join(root, "node_modules/.cache/area");
  mkdirSync(dir, { recursive: true });
  const note = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    writeFileSync(join(dir, `${digestOf(["truncated"])}.json`), '{"key":"');
    expect(await cachedJson(root, "area", ["truncated"], () => "rendered")).toBe("rendered");
    // someone else's result under this name: its key and checksum do not match
    const other = JSON.parse(readFileSync(join(dir, `${digestOf(["truncated"])}.json`), "utf8"));
    writeFileSync(join(dir, `${digestOf(["swapped"])}.json`), JSON.stringify(other));
    expect(await cachedJson(root, "area", ["swapped"], () => "fresh")).toBe("fresh");
    expect(note.mock.calls.map(([text]) => String(text).replace(root, "<root>"))).toEqual([
      `cache: discarded <root>/node_modules/.cache/area/${digestOf(["truncated"])}.json (unreadable, or not what its name says); working it out again\n`,
      `cache: discarded <root>/node_modules/.cache/area/${digestOf(["swapped"])}.json (unreadable, or not what its name says); working it out again\n`,
    ]);
  } finally {
    note.mockRestore();
    rmSync(root, { recursive: true, force: true });
  }
});
