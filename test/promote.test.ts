import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { main as diffMain } from "../commands/diff.ts";
import { main as promoteMain } from "../commands/promote.ts";
import { promote } from "../lib/publish/promote.ts";
import { main as synthMain } from "../main.ts";
import { repository } from "./git-repository.ts";
import { runMain, sandbox } from "./helpers.ts";

describe("npm run diff on the full default estate", () => {
  it("renders the work tree, finds no change against the committed dist/, says so and exits 0", async () => {
    const root = await repository();
    const diff = await runMain(diffMain, [], root);
    expect([diff.status, diff.stdout, diff.stderr]).toEqual([0, "no changes\n", ""]);
  });
});

describe("npm run promote", () => {
  const promoteCli = (root: string, ...args: string[]) => runMain(promoteMain, args, root);

  it("moves a version pin one OTAP step and prints the rendered diff", async () => {
    const root = await repository();
    const result = await promoteCli(root, "waterpeil-portal", "--from", "dev", "--to", "test");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("promoted waterpeil-portal dev -> test: 2.4.1 -> 2.5.0-rc.1");
    expect(result.stdout).toContain("~ apps/v1 Deployment test-portal/waterpeil-portal");
    expect(result.stdout).toMatch(
      /\[medium\] image: rke2-nonprod .*waterpeil-portal:2\.4\.1 -> .*waterpeil-portal:2\.5\.0-rc\.1/,
    );
    const text = readFileSync(join(root, "clusters/catalogue/portal.ts"), "utf8");
    expect(text).toContain('test: { cluster: "rke2-nonprod", version: "2.5.0-rc.1" }');
    expect(text).toContain('acc: { cluster: "rke2-nonprod", version: "2.4.1" }');
  });

  it("refuses to skip a step, or to promote where the workload is not deployed", async () => {
    const root = await repository();
    const before = readFileSync(join(root, "clusters/catalogue/portal.ts"), "utf8");
    const skip = await promoteCli(root, "waterpeil-portal", "--from", "dev", "--to", "acc");
    expect(skip.status).toBe(1);
    expect(skip.stderr).toContain("dev -> acc skips a step; promote one step at a time (dev -> test)");
    const missing = await promoteCli(root, "vllm", "--from", "acc", "--to", "prod");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('workload "vllm" is not deployed to acc');
    expect(readFileSync(join(root, "clusters/catalogue/portal.ts"), "utf8")).toBe(before);
  });
});

describe("promote edits the pin in force", () => {
  it("skips a commented-out old pin and edits the live one", async () => {
    const root = sandbox();
    try {
      const catalogue = join(root, "clusters/catalogue/portal.ts");
      const text = readFileSync(catalogue, "utf8");
      const live = 'test: { cluster: "rke2-nonprod", version: "2.4.1" },';
      expect(text).toContain(live);
      writeFileSync(
        catalogue,
        text.replace(
          live,
          `// test: { cluster: "rke2-nonprod", version: "2.4.1" }, (the old pin)\n      ${live}`,
        ),
      );
      const result = await promote(root, "waterpeil-portal", "dev", "test", PLATFORM_COMPONENTS);
      expect(result.unchanged).toBe(false);
      const after = readFileSync(catalogue, "utf8");
      expect(after).toContain('// test: { cluster: "rke2-nonprod", version: "2.4.1" }, (the old pin)');
      expect(after).toContain('test: { cluster: "rke2-nonprod", version: "2.5.0-rc.1" },');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("dist/'s lock, met by synth and promote", () => {
  it("a lock that is a directory is named, not a stack trace; promote while synth holds dist/ undoes its edit", async () => {
    const root = await repository();
    try {
      mkdirSync(join(root, ".dist.lock"));
      const synth = await runMain(synthMain, [], root);
      expect(synth.status).toBe(1);
      expect(synth.stderr).toContain(
        ".dist.lock is not synth's lock file (it is not a regular file); remove it",
      );
      rmSync(join(root, ".dist.lock"), { recursive: true });
      // a live process holds the lock: this test's own
      writeFileSync(join(root, ".dist.lock"), `${process.pid}\n`);
      const catalogue = join(root, "clusters/catalogue/portal.ts");
      const before = readFileSync(catalogue, "utf8");
      const promoted = await runMain(
        promoteMain,
        ["waterpeil-portal", "--from", "dev", "--to", "test"],
        root,
      );
      expect(promoted.status).toBe(1);
      expect(promoted.stderr).toContain(
        `promote refused: another synth (pid ${process.pid}) is writing dist/`,
      );
      expect(promoted.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(catalogue, "utf8")).toBe(before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
