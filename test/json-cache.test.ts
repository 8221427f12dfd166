import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it, vi } from "vitest";
import { cachedJson, digestOf } from "../lib/cache/json-cache.ts";
import { tempDir } from "./temp-dirs.ts";

it("a cached result is worked out once per exact inputs, and anew when any input changes", async () => {
  const root = tempDir("cache-");
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
  const root = tempDir("cache-");
  await expect(
    cachedJson(root, "area", ["x"], () => {
      throw new Error("helm refused");
    }),
  ).rejects.toThrow("helm refused");
  expect(await cachedJson(root, "area", ["x"], () => "rendered")).toBe("rendered");
});

it("a cache file that is truncated or not what its name says is discarded with a note and worked out again", async () => {
  const root = tempDir("cache-");
  const dir = join(root, "node_modules/.cache/area");
  const entry = (inputs: string[]) => join(dir, `${digestOf(inputs)}.json`);
  mkdirSync(dir, { recursive: true });
  const note = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    writeFileSync(entry(["truncated"]), '{"key":"');
    expect(await cachedJson(root, "area", ["truncated"], () => "rendered")).toBe("rendered");
    // a whole header whose value (12345) was cut short and still parses
    const cut = JSON.stringify({ key: digestOf(["cut"]), length: 5 });
    writeFileSync(entry(["cut"]), `${cut}\n123`);
    expect(await cachedJson(root, "area", ["cut"], () => "again")).toBe("again");
    // someone else's result under this name: its key does not match
    writeFileSync(entry(["swapped"]), readFileSync(entry(["truncated"]), "utf8"));
    expect(await cachedJson(root, "area", ["swapped"], () => "fresh")).toBe("fresh");
    expect(note.mock.calls.map(([text]) => String(text).replace(root, "<root>"))).toEqual(
      [["truncated"], ["cut"], ["swapped"]].map(
        (inputs) =>
          `cache: discarded <root>/node_modules/.cache/area/${digestOf(inputs)}.json (unreadable, or not what its name says); working it out again\n`,
      ),
    );
  } finally {
    note.mockRestore();
  }
});

it("an entry in the older whole-JSON format is replaced without a note", async () => {
  const root = tempDir("cache-");
  const dir = join(root, "node_modules/.cache/area");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${digestOf(["old"])}.json`), '{"n":1}');
  const note = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    expect(await cachedJson(root, "area", ["old"], () => ({ n: 2 }))).toEqual({ n: 2 });
    expect(note).not.toHaveBeenCalled();
    const [header = "", value = ""] = readFileSync(join(dir, `${digestOf(["old"])}.json`), "utf8").split(
      "\n",
    );
    expect(JSON.parse(header)).toEqual({ key: digestOf(["old"]), length: value.length });
  } finally {
    note.mockRestore();
  }
});
