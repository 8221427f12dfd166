import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { podSecurityViolations } from "../lib/admission/pod-security.ts";
import { REPO } from "./helpers.ts";

/**
 * kubernetes/pod-security-admission's own fixtures (test/testdata/<level>/<version>/{pass,fail}),
 * vendored in vendor/conformance/pod-security-admission/: every pod our engine must judge exactly as
 * the upstream policy does, at our clusters' version (1.35) and at the newest (1.37).
 */
const FIXTURES = join(REPO, "vendor/conformance/pod-security-admission/test/testdata");

function cases(level: "baseline" | "restricted", version: string) {
  return (["pass", "fail"] as const).flatMap((expected) => {
    const dir = join(FIXTURES, level, `v${version}`, expected);
    return readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((file) => ({
        file: `${level}/v${version}/${expected}/${file}`,
        expected,
        pod: parse(readFileSync(join(dir, file), "utf8")),
      }));
  });
}

describe("Pod Security engine against the upstream fixtures", () => {
  for (const version of ["1.35", "1.37"])
    for (const level of ["baseline", "restricted"] as const)
      it(`${level} v${version}: every pass fixture admitted, every fail fixture denied`, () => {
        const all = cases(level, version);
        expect(all.length).toBeGreaterThan(30);
        const wrong = all
          .filter(
            ({ pod, expected }) =>
              (podSecurityViolations(pod, level, version).length === 0) !== (expected === "pass"),
          )
          .map(
            ({ file, pod }) =>
              `${file}: ${podSecurityViolations(pod, level, version).join("; ") || "admitted"}`,
          );
        expect(wrong).toEqual([]);
      });
});
