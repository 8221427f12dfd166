import { expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parsedFile, rememberParsed } from "../lib/k8s/tree-documents.ts";
import { renderFixtureEstate } from "./helpers.ts";

it("a tree's file is parsed once for every check, again when its text changes, and cannot be changed by a check", () => {
  const path = "dist/clusters/a/namespace-a.yaml";
  const files = new Map([[path, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n"]]);
  const first = parsedFile(files, path);
  expect(parsedFile(files, path)).toBe(first);
  expect(first).toMatchObject({ count: 1, manifests: [{ kind: "Namespace", metadata: { name: "a" } }] });
  const manifest = first.manifests[0] as { metadata: { name: string } };
  expect(() => {
    manifest.metadata.name = "b";
  }).toThrow(TypeError);

  files.set(path, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: c\n---\nkind: Other\n");
  const second = parsedFile(files, path);
  expect(second).not.toBe(first);
  expect(second.count).toBe(2);
  expect(second.manifests.map((m) => m?.metadata?.name ?? m?.kind)).toEqual(["c", "Other"]);

  files.set(path, "kind: [unclosed\n");
  const broken = parsedFile(files, path);
  expect(broken.manifests).toEqual([]);
  expect(broken.error).toMatch(/flow sequence|unclosed|Missing/i);
});

it("what synth remembers of the files it wrote is what parsing them gives, and is forgotten when the text changes", async () => {
  const { tree } = await renderFixtureEstate();
  const paths = [...tree.keys()].filter(
    (p) => p.startsWith("dist/clusters/") && !p.endsWith("/kustomization.yaml"),
  );
  expect(paths.length).toBeGreaterThan(500);
  for (const path of paths) {
    const remembered = parsedFile(tree, path);
    expect(remembered.manifests, path).toEqual([parseAllDocuments(tree.get(path) ?? "")[0]?.toJS()]);
    expect(Object.isFrozen(remembered.manifests[0])).toBe(true);
  }
  const copy = new Map(tree);
  const [path] = paths as [string];
  rememberParsed(copy, path, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "stale" } });
  copy.set(path, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\n");
  expect(parsedFile(copy, path).manifests[0]?.metadata?.name).toBe("fresh");
});
