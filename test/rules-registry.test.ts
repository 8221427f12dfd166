import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES, rulesTable } from "../lib/rule-registry.ts";
import { REPO } from "./helpers.ts";

/** Where a rule id is used as one: a problem's `rule`, a placement rule's `id`, a guard's or report's rule. */
const USE = /(?:\brule:\s*|\bid:\s*|\bproblem\(\s*object,\s*|\breport\([^,()]*,\s*)"([a-z0-9-]+)"/g;

function sources(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(REPO, join(e.parentPath, e.name)));
}

describe("the rule registry", () => {
  it("is the README's rule table", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const table = /<!-- rules:begin -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme)?.[1];
    expect(table, "README has no <!-- rules:begin --> … <!-- rules:end --> table").toBe(rulesTable());
  });

  it("names, for every rule, exactly the modules that decide it", () => {
    const usedIn = new Map<string, Set<string>>();
    for (const file of [...sources("lib"), ...sources("charts")]) {
      if (
        file === "lib/rule-registry.ts" ||
        file.startsWith("lib/diff/") ||
        file.startsWith("lib/admission/pod-security/")
      )
        continue;
      for (const [, id] of readFileSync(join(REPO, file), "utf8").matchAll(USE))
        if (id && id in RULES) usedIn.set(id, (usedIn.get(id) ?? new Set()).add(file));
    }
    for (const [id, rule] of Object.entries(RULES))
      expect([...(usedIn.get(id) ?? [])].sort(), id).toEqual([...rule.decidedIn].sort());
  });
});
