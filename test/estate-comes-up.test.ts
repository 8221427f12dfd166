import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { validateDist } from "../lib/validate/index.ts";
import { renderDefaultEstate, sandboxWithDist } from "./helpers.ts";

/**
 * The defects that kept the estate from coming up (issue 19), each reintroduced by hand into a copy of
 * the rendered estate: validate must name the cluster, the object and the reason for every one. One
 * validate run judges them all.
 */
let root: string;
let problems: string;
beforeAll(async () => {
  root = sandboxWithDist((await renderDefaultEstate()).tree);
  const edit = (path: string, change: (doc: Record<string, any>) => void) => {
    const file = join(root, path);
    const doc = parse(readFileSync(file, "utf8"));
    change(doc);
    writeFileSync(file, stringify(doc));
  };
  edit("dist/clusters/rke2-core/kustomization-keycloak-operator.yaml", (doc) => {
    delete doc.spec.dependsOn;
  });
  edit("dist/clusters/rke2-core/controllers/gpu-operator/helmrelease-gpu-operator.yaml", (doc) => {
    delete doc.spec.values.devicePlugin.resources;
    delete doc.spec.values.driver.usePrecompiled;
  });
  problems = (await validateDist(root)).problems.join("\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("validate catches what would keep the estate from coming up", () => {
  it("an operator applied into a namespace that no earlier apply creates", () => {
    expect(problems).toContain(
      'dist/clusters/rke2-core: cluster "rke2-core": Kustomization flux-system/keycloak-operator applies 8 object(s) into namespace "identity" (ServiceAccount keycloak-operator',
    );
    expect(problems).toContain(
      "it is created by Kustomization flux-system/controllers, which is not applied before it",
    );
  });
});
