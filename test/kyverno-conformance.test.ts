import { describe, expect, it } from "vitest";
import { chainsawTests, replay, suiteRoot } from "./chainsaw.ts";
import { REPO } from "./helpers.ts";

const ROOT = suiteRoot(REPO);
const SUITES = ["validating-policies", "namespaced-validating-policies"];

describe("Kyverno engine against Kyverno 1.19's chainsaw conformance tests", () => {
  for (const suite of SUITES)
    it(`${suite}: never admits what Kyverno refuses, never refuses what it admits`, () => {
      const requests = chainsawTests(`${ROOT}/${suite}`).flatMap((dir) => replay(dir, ROOT));
      const agree = requests.filter((r) => r.actual === r.expected).length;
      const unprovable = requests.filter((r) => r.actual === "cannot prove");
      console.log(
        `Kyverno ${suite}: ${agree}/${requests.length} requests judged as Kyverno does, ${unprovable.length} cannot prove`,
      );
      for (const r of requests)
        if (r.actual !== r.expected)
          console.log(
            `  ${r.actual} (expected ${r.expected}): ${r.test} / ${r.step} / ${r.object}: ${r.reason}`,
          );
      const wrong = requests.filter((r) => r.actual !== r.expected && r.actual !== "cannot prove");
      expect(
        wrong.map(
          (r) => `${r.test} / ${r.step} / ${r.object}: ${r.actual}, Kyverno ${r.expected}: ${r.reason}`,
        ),
      ).toEqual([]);
    });
});
