import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { podSecurityViolations } from "../lib/admission/pod-security/index.ts";
import { REPO } from "./helpers.ts";

/**
 * kubernetes/pod-security-admission's own fixtures (test/testdata/<level>/<version>/{pass,fail}),
 * vendored in vendor/conformance/pod-security-admission/: every pod our engine must judge exactly as
 * the upstream policy does, at every policy version from v1.0 to the newest.
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

/** Every policy version upstream keeps fixtures for, v1.0 to the newest. */
const VERSIONS = readdirSync(join(FIXTURES, "baseline"))
  .map((d) => d.replace(/^v/, ""))
  .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));

const judged = { total: 0, agree: 0 };
afterAll(() => {
  console.log(
    `Pod Security: ${judged.agree}/${judged.total} upstream fixtures judged as upstream does (v1.0 to v${VERSIONS.at(-1)})`,
  );
});

describe("Pod Security engine against the upstream fixtures", () => {
  it("covers every version folder upstream ships", () => {
    expect(VERSIONS[0]).toBe("1.0");
    expect(VERSIONS.length).toBeGreaterThanOrEqual(38);
  });
  for (const version of VERSIONS)
    for (const level of ["baseline", "restricted"] as const)
      it(`${level} v${version}: every pass fixture admitted, every fail fixture denied`, () => {
        const all = cases(level, version);
        expect(all.length).toBeGreaterThan(30);
        const wrong = all
          .filter(
            ({ pod, expected }) =>
              (podSecurityViolations(pod, level, Number(version.split(".")[1])).length === 0) !==
              (expected === "pass"),
          )
          .map(
            ({ file, pod }) =>
              `${file}: ${podSecurityViolations(pod, level, Number(version.split(".")[1])).join("; ") || "admitted"}`,
          );
        judged.total += all.length;
        judged.agree += all.length - wrong.length;
        expect(wrong).toEqual([]);
      });
});
