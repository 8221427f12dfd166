import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.ts";

/**
 * One direction through the code: the command entries (main.ts, commands/) wire charts/ into lib/;
 * lib/ never imports charts/, clusters/ or a command, and charts/ never imports the inventory or a
 * command (the estate reaches both as data).
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  lib: ["charts", "clusters", "commands", "main.ts", "test", "bench"],
  charts: ["clusters", "commands", "main.ts", "test", "bench"],
};

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

function sources(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
    .map((e) => relative(REPO, join(e.parentPath, e.name)));
}

/** Each relative import of a file, as the repository path it resolves to. */
function importsOf(file: string): string[] {
  return [...readFileSync(join(REPO, file), "utf8").matchAll(IMPORT)].map(([, spec]) =>
    relative(REPO, resolve(dirname(join(REPO, file)), spec as string)),
  );
}

describe("the direction of dependencies", () => {
  for (const [from, forbidden] of Object.entries(FORBIDDEN))
    it(`${from}/ imports none of ${forbidden.join(", ")}`, () => {
      const files = sources(from);
      expect(files.length).toBeGreaterThan(10);
      const wrong = files.flatMap((file) =>
        importsOf(file)
          .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
          .map((target) => `${file} -> ${target}`),
      );
      expect(wrong).toEqual([]);
    });

  it("lib/ has no folder cycle: its folders (and root files) import one another in one direction", () => {
    expect(folderCycles(folderGraph())).toEqual([]);
  });

  it("would name a folder cycle, with the imports that make it", () => {
    const graph = folderGraph();
    const [from, to] = ["lib/k8s/yaml.ts", "lib/synth/tree.ts"];
    graph.edges.push({ from: folderOf(from), to: folderOf(to), file: `${from} -> ${to}` });
    expect(folderCycles(graph)).toEqual([
      expect.objectContaining({ folders: expect.arrayContaining(["k8s", "synth"]) }),
    ]);
    expect(folderCycles(graph)[0]?.imports).toContain("lib/k8s/yaml.ts -> lib/synth/tree.ts");
  });

  it("finds the imports it judges (a command entry imports charts/ and lib/)", () => {
    expect(importsOf("commands/diff.ts")).toEqual(
      expect.arrayContaining(["lib/cli/command.ts", "lib/synth/pipeline.ts", "charts/index.ts"]),
    );
  });
});

/** A file's node in the folder graph: its folder under lib/, or the root file itself. */
const folderOf = (file: string): string => file.split("/")[1] as string;

interface FolderGraph {
  readonly edges: { from: string; to: string; file: string }[];
}

/** Every import between two different folders of lib/, type-only imports included. */
function folderGraph(): FolderGraph {
  const edges = sources("lib").flatMap((file) =>
    importsOf(file)
      .filter((target) => target.startsWith("lib/") && folderOf(target) !== folderOf(file))
      .map((target) => ({ from: folderOf(file), to: folderOf(target), file: `${file} -> ${target}` })),
  );
  return { edges };
}

/** The strongly connected groups of more than one folder (Tarjan), each with the imports inside it. */
function folderCycles(graph: FolderGraph): { folders: string[]; imports: string[] }[] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of graph.edges) next.set(from, (next.get(from) ?? new Set()).add(to));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) visit(to);
      if (stack.includes(to)) low.set(node, Math.min(low.get(node) as number, low.get(to) as number));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === node ? undefined : stack.pop())
      group.push(top);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return groups.map((folders) => ({
    folders,
    imports: graph.edges
      .filter((e) => folders.includes(e.from) && folders.includes(e.to))
      .map((e) => e.file)
      .sort(),
  }));
}
