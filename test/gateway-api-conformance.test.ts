import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { SchemaRegistry } from "../lib/schemas/registry.ts";
import { REPO } from "./helpers.ts";

/**
 * Gateway API's own CRD validation check (hack/test-crds-validation.sh at v1.3.0, vendored in
 * vendor/conformance/gateway-api/): with the standard CRDs installed, every example under
 * examples/standard applies, and every file under hack/invalid-examples/standard is refused by the
 * API server. Our schema registry (OpenAPI schema, defaults, list types and CEL rules of the CRDs in
 * imports/crds/gateway-api, the same release) must agree, document by document. Kinds we do not carry
 * a CRD for (GRPCRoute) are counted, not judged.
 */
const ROOT = join(REPO, "vendor/conformance/gateway-api");
const CARRIED = new Set(["GatewayClass", "Gateway", "HTTPRoute", "ReferenceGrant"]);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function gatewayObjects(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((o): o is Manifest => !!o && String(o.apiVersion).startsWith("gateway.networking.k8s.io/"));
}

describe("Gateway API CRD validation agrees with upstream's examples", () => {
  const registry = new SchemaRegistry(REPO);

  it("admits every standard example of the kinds we carry", async () => {
    const refused: string[] = [];
    let judged = 0;
    const skipped = new Set<string>();
    for (const file of yamlFiles(join(ROOT, "examples/standard")))
      for (const object of gatewayObjects(file)) {
        if (!CARRIED.has(object.kind)) {
          skipped.add(object.kind);
          continue;
        }
        judged++;
        const problems = await registry.check(object);
        if (problems.length > 0) refused.push(`${relative(ROOT, file)}: ${problems.join("; ")}`);
      }
    expect(refused).toEqual([]);
    expect(judged).toBe(63);
    expect([...skipped]).toEqual(["GRPCRoute"]);
  });

  it("refuses every standard invalid example", async () => {
    const admitted: string[] = [];
    const files = yamlFiles(join(ROOT, "hack/invalid-examples/standard"));
    for (const file of files) {
      const objects = gatewayObjects(file);
      const problems = (await Promise.all(objects.map((o) => registry.check(o)))).flat();
      if (objects.length === 0 || problems.length === 0) admitted.push(relative(ROOT, file));
    }
    expect(admitted).toEqual([]);
    expect(files).toHaveLength(30);
  });
});
