import { describe, expect, it } from "vitest";
import { chainsawTests, replay, suiteRoot } from "./chainsaw.ts";
import { REPO } from "./helpers.ts";

const ROOT = suiteRoot(REPO);

/**
 * The conformance tests outside what the proof evaluates, each a "cannot prove" for every request it
 * judges (never an admit or a deny), with the reason (listed in the README).
 */
const OUT_OF_SCOPE: Record<string, string> = {
  "validating-policies/context/api-call/http-get": "Kyverno's http library (a call at admission)",
  "validating-policies/context/api-call/http-post": "Kyverno's http library (a call at admission)",
  "validating-policies/context/configmap": "Kyverno's resource library (reads the cluster)",
  "validating-policies/context/globalreference": "Kyverno's globalContext library",
  "validating-policies/context/globalreference-missing-graceful": "Kyverno's globalContext library",
  "validating-policies/context/globalreference-missing-graceful-edge-cases":
    "Kyverno's globalContext library",
  "validating-policies/context/image-data": "Kyverno's image data library (reads the registry)",
  "validating-policies/context/image-data-arch": "Kyverno's image data library (reads the registry)",
  "validating-policies/context/imagereference": "Kyverno's image reference library",
  "validating-policies/context/resource/get": "Kyverno's resource library (reads the cluster)",
  "validating-policies/exceptions/empty-policy-ref": "Kyverno's own admission of PolicyExceptions",
  "validating-policies/match-conditions/cel-libs": "Kyverno's image() library",
};

describe("Kyverno engine against Kyverno 1.19's chainsaw conformance tests", () => {
  const suites = ["validating-policies", "namespaced-validating-policies"];
  const requests = suites.flatMap((suite) =>
    chainsawTests(`${ROOT}/${suite}`).flatMap((dir) => replay(dir, ROOT).map((r) => ({ ...r, suite }))),
  );

  it("judges every request as Kyverno does, or says 'cannot prove' for the tests outside its scope", () => {
    for (const suite of suites) {
      const own = requests.filter((r) => r.suite === suite);
      const agree = own.filter((r) => r.actual === r.expected).length;
      const unprovable = own.filter((r) => r.actual === "cannot prove").length;
      console.log(
        `Kyverno ${suite}: ${agree}/${own.length} requests judged as Kyverno does, ${unprovable} cannot prove`,
      );
    }
    expect(requests.length).toBeGreaterThan(100);
    const wrong = requests.filter((r) => r.actual !== r.expected && r.actual !== "cannot prove");
    expect(
      wrong.map(
        (r) => `${r.test} / ${r.step} / ${r.object}: ${r.actual}, Kyverno ${r.expected}: ${r.reason}`,
      ),
    ).toEqual([]);
  });

  it("says 'cannot prove' exactly in the tests listed as out of scope, and in all their judged requests", () => {
    const unprovable = [
      ...new Set(requests.filter((r) => r.actual === "cannot prove").map((r) => r.test)),
    ].sort();
    expect(unprovable).toEqual(Object.keys(OUT_OF_SCOPE).sort());
    const decided = requests.filter(
      (r) => r.test in OUT_OF_SCOPE && r.actual !== "cannot prove" && r.actual !== r.expected,
    );
    expect(decided).toEqual([]);
  });
});
