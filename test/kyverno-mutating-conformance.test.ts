import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { mutateRequest } from "../lib/admission/kyverno/mutate.ts";
import { requestFor } from "../lib/admission/kyverno/request.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { REPO } from "./helpers.ts";

/** Kyverno 1.19's own CLI tests of MutatingPolicies (test/cli/test-mutating-policy, vendored whole). */
const ROOT = join(REPO, "vendor/conformance/kyverno/test/cli/test-mutating-policy");

/** The tests outside what the proof evaluates at admission, each with why (never a wrong answer). */
const OUT_OF_SCOPE: Record<string, string> = {
  "mutate-existing": "mutation of existing resources (background, targets), not admission",
  "mutate-existing-cel-expression": "mutation of existing resources (background, targets), not admission",
  "mutate-existing-same-trigger-and-target":
    "mutation of existing resources (background, targets), not admission",
};

const docs = (dir: string, file: string): Manifest[] =>
  parseAllDocuments(readFileSync(join(dir, file), "utf8"))
    .map((d) => d.toJS() as Manifest)
    .filter(Boolean);

const named = (objects: readonly Manifest[], ref: string) =>
  objects.find(
    (o) => `${o.metadata?.namespace ?? "default"}/${o.metadata?.name}` === ref || o.metadata?.name === ref,
  );

/**
 * Kyverno's patched resources come out of a typed round trip, which writes empty structs
 * (`strategy: {}`, `resources: {}`); they mean nothing set, so both sides are compared without them.
 */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => [k, withoutEmpty(v)] as const)
    .filter(([, v]) => !(v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0));
  return Object.fromEntries(entries);
}

interface Outcome {
  readonly test: string;
  readonly resource: string;
  readonly expected: string;
  readonly actual: "agrees" | "disagrees" | "cannot prove";
}

/** Each result of each test: our mutation of the resource against the patched resource Kyverno gives. */
function replay(test: string): Outcome[] {
  const dir = join(ROOT, test);
  const spec = docs(dir, "kyverno-test.yaml")[0] as any;
  const policies = (spec.policies as string[]).flatMap((f) => docs(dir, f));
  const exceptions = ((spec.exceptions ?? []) as string[]).flatMap((f) => docs(dir, f));
  const resources = (spec.resources as string[]).flatMap((f) => docs(dir, f));
  const config = { policies, exceptions, resourceFilters: [] };
  return (spec.results as any[]).flatMap((result) =>
    (result.resources as string[]).map((ref): Outcome => {
      const resource = named(resources, ref) as Manifest;
      const { request, findings } = mutateRequest(requestFor(resource), null, config);
      const base = { test, resource: ref, expected: result.result as string };
      if (findings.some((f) => f.cannotProve)) return { ...base, actual: "cannot prove" };
      const expected = result.result === "pass" ? named(docs(dir, result.patchedResources), ref) : resource;
      return {
        ...base,
        actual: isDeepStrictEqual(withoutEmpty(request.object), withoutEmpty(expected))
          ? "agrees"
          : "disagrees",
      };
    }),
  );
}

describe("Kyverno mutation against Kyverno 1.19's own MutatingPolicy tests", () => {
  const tests = readdirSync(ROOT).sort();

  it("mutates every resource as Kyverno does, or says 'cannot prove'; never differently", () => {
    const outcomes = tests.filter((t) => !OUT_OF_SCOPE[t]).flatMap(replay);
    const agree = outcomes.filter((o) => o.actual === "agrees").length;
    const unprovable = outcomes.filter((o) => o.actual === "cannot prove");
    console.log(
      `Kyverno mutating policies: ${agree}/${outcomes.length} resources mutated as Kyverno does, ${unprovable.length} cannot prove (${unprovable.map((o) => o.test).join(", ")})`,
    );
    expect(outcomes.filter((o) => o.actual === "disagrees")).toEqual([]);
    // the label, exception and custom-resource tests are within what the proof evaluates
    for (const test of ["mutating-label", "exceptions-mutate-deployment", "mutate-custom-crd"])
      expect(
        outcomes.filter((o) => o.test === test).every((o) => o.actual === "agrees"),
        test,
      ).toBe(true);
  });

  it("lists every test it leaves out, and each still exists upstream", () => {
    for (const test of Object.keys(OUT_OF_SCOPE)) expect(tests).toContain(test);
  });
});
