import { expect, it } from "vitest";
import { parsedFile } from "../lib/k8s/tree-documents.ts";

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
