import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ensureKubectl, kustomizeObjects } from "../lib/k8s/kubectl.ts";
import { readTree } from "../lib/synth/dist-tree.ts";
import { REPO } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

const configMap = (value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`;
const kustomization = (resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}`).join("\n")}\n`;

it("a cached kustomize build is served only while nothing it reads changed, also outside its directory", async () => {
  const root = tempDir("kustomize-cache-");
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
  mkdirSync(join(root, "dist/own"), { recursive: true });
  mkdirSync(join(root, "dist/outside"), { recursive: true });
  writeFileSync(join(root, "dist/own/kustomization.yaml"), kustomization(["configmap-settings.yaml"]));
  writeFileSync(join(root, "dist/outside/kustomization.yaml"), kustomization(["../own"]));
  const kubectl = ensureKubectl(REPO);
  const values = async (dir: string) =>
    (await kustomizeObjects(root, kubectl, dir, readTree(root))).map(
      (m) => (m.data as { value: string }).value,
    );

  writeFileSync(join(root, "dist/own/configmap-settings.yaml"), configMap("one"));
  expect(await values("dist/own")).toEqual(["one"]);
  expect(await values("dist/outside")).toEqual(["one"]);
  // The file changes below "own" (so its key changes) but outside "outside" (whose own files do not):
  // a build keyed by its own directory alone would now serve "one".
  writeFileSync(join(root, "dist/own/configmap-settings.yaml"), configMap("two"));
  expect(await values("dist/own")).toEqual(["two"]);
  expect(await values("dist/outside")).toEqual(["two"]);
});
