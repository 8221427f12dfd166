import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCluster } from "../charts/index.ts";
import { main as diffMain } from "../commands/diff.ts";
import { main as promoteMain } from "../commands/promote.ts";
import { promote } from "../lib/publish/promote.ts";
import { PushRefused, pushEstate } from "../lib/publish/push.ts";
import { synthToDist } from "../lib/synth/run.ts";
import { main as synthMain } from "../main.ts";
import { REPO, runMain, sandbox } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

let template: Promise<string> | undefined;

/**
 * A sandbox that is a git repository with the synthesised estate committed on main: a copy of one
 * made once per file (rendering and committing ~1,300 files is most of what a test would cost).
 */
async function repository(): Promise<string> {
  template ??= (async () => {
    const root = sandbox();
    copyFileSync(join(REPO, ".gitignore"), join(root, ".gitignore"));
    await synthToDist(root, buildCluster);
    git(root, "init", "-q", "-b", "main");
    git(root, "config", "user.email", "ci@waterschap.example");
    git(root, "config", "user.name", "ci");
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", "estate");
    return root;
  })();
  const root = tempDir("estate-");
  cpSync(await template, root, { recursive: true, verbatimSymlinks: true });
  git(root, "update-index", "-q", "--refresh");
  return root;
}

let daemon: ChildProcess;
let remote: string;
let bare: string;

/** A real git server on loopback: git daemon with push enabled, serving one bare repository. */
beforeAll(async () => {
  const base = tempDir("git-server-");
  bare = join(base, "estate.git");
  execFileSync("git", ["init", "-q", "--bare", bare]);
  const port = 40000 + Math.floor(Math.random() * 20000);
  daemon = spawn(
    "git",
    [
      "daemon",
      "--reuseaddr",
      "--export-all",
      "--enable=receive-pack",
      `--base-path=${base}`,
      "--listen=127.0.0.1",
      `--port=${port}`,
      base,
    ],
    {
      stdio: "ignore",
    },
  );
  remote = `git://127.0.0.1:${port}/estate.git`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("git daemon did not start");
});

afterAll(() => {
  daemon?.kill();
});

describe("npm run push", () => {
  it("commits dist/ with its sources on a branch and pushes it to a real git server", async () => {
    const root = await repository();
    const catalogue = join(root, "clusters/catalogue/portal.ts");
    writeFileSync(catalogue, readFileSync(catalogue, "utf8").replace('"2.5.0-rc.1"', '"2.5.0-rc.2"'));
    // In process: the inventory loader reads a changed file anew (its URL carries the file's mtime).
    await synthToDist(root, buildCluster);
    const result = await pushEstate({ root, remote, branch: "estate/rc2", build: buildCluster });
    expect(git(bare, "rev-parse", "refs/heads/estate/rc2")).toBe(result.commit);
    const pushed = git(
      bare,
      "show",
      "estate/rc2:dist/clusters/rke2-nonprod/apps/dev-portal/deployment-waterpeil-portal.yaml",
    );
    expect(pushed).toContain("registry.waterschap.example/apps/waterpeil-portal:2.5.0-rc.2");
    expect(git(bare, "show", "estate/rc2:clusters/catalogue/portal.ts")).toContain('"2.5.0-rc.2"');
  });

  it("refuses a stale dist/ and pushes nothing", async () => {
    const root = await repository();
    const file = join(root, "dist/clusters/rke2-cloud/apps/portal/deployment-portal-api.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("replicas: 2", "replicas: 5"));
    await expect(pushEstate({ root, remote, branch: "estate/stale", build: buildCluster })).rejects.toThrow(
      PushRefused,
    );
    await expect(pushEstate({ root, remote, branch: "estate/stale", build: buildCluster })).rejects.toThrow(
      /dist\/ is stale/,
    );
    expect(git(bare, "branch", "--list", "estate/stale")).toBe("");
  });

  it("never publishes an untracked .env or a key file, and leaves the user's branch and index alone", async () => {
    const root = await repository();
    const catalogue = join(root, "clusters/catalogue/portal.ts");
    writeFileSync(catalogue, readFileSync(catalogue, "utf8").replace('"2.5.0-rc.1"', '"2.5.0-rc.3"'));
    await synthToDist(root, buildCluster);
    const headBefore = git(root, "rev-parse", "HEAD");

    writeFileSync(join(root, ".env"), "DB_PASSWORD=hunter2\n");
    await expect(pushEstate({ root, remote, branch: "estate/env", build: buildCluster })).rejects.toThrow(
      /changes push does not publish[\s\S]*\.env/,
    );
    rmSync(join(root, ".env"));
    writeFileSync(
      join(root, "keys/deploy.pem"),
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    await expect(pushEstate({ root, remote, branch: "estate/env", build: buildCluster })).rejects.toThrow(
      /look like credentials[\s\S]*keys\/deploy\.pem/,
    );
    rmSync(join(root, "keys/deploy.pem"));
    expect(git(bare, "branch", "--list", "estate/env")).toBe("");

    // A .env the repository ignores is not part of the change: push goes ahead without it.
    writeFileSync(join(root, ".gitignore"), `${readFileSync(join(root, ".gitignore"), "utf8")}.env\n`);
    git(root, "commit", "-q", "-m", "ignore .env", "--", ".gitignore");
    writeFileSync(join(root, ".env"), "DB_PASSWORD=hunter2\n");
    const result = await pushEstate({ root, remote, branch: "estate/env", build: buildCluster });
    const files = git(bare, "ls-tree", "-r", "--name-only", result.commit).split("\n");
    expect(files).not.toContain(".env");
    expect(files.some((f) => f.endsWith(".pem") || f.endsWith(".key"))).toBe(false);
    expect(git(bare, "show", `${result.commit}:clusters/catalogue/portal.ts`)).toContain('"2.5.0-rc.3"');
    // The user is where they were: same branch, same HEAD (plus their own commit), work tree dirty as before.
    expect(git(root, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(git(root, "rev-parse", "HEAD~1")).toBe(headBefore);
    expect(git(root, "status", "--porcelain")).toContain("clusters/catalogue/portal.ts");

    // The branch exists now: a second push refuses instead of moving it.
    await expect(pushEstate({ root, remote, branch: "estate/env", build: buildCluster })).rejects.toThrow(
      "branch estate/env already exists",
    );
    expect(git(root, "rev-parse", "estate/env")).toBe(result.commit);
  });

  it("refuses when an earlier commit of the history it would publish holds a credential", async () => {
    const root = await repository();
    const token = `ghp_${"Q7w8E9r0T1".repeat(3)}YuIoPa`;
    writeFileSync(join(root, "clusters/notes.txt"), `gitea: https://${token}@gitea.waterschap.example\n`);
    git(root, "add", "clusters/notes.txt");
    git(root, "commit", "-q", "-m", "notes");
    git(root, "rm", "-q", "clusters/notes.txt");
    git(root, "commit", "-q", "-m", "oops, remove the notes");
    const catalogue = join(root, "clusters/catalogue/portal.ts");
    writeFileSync(catalogue, readFileSync(catalogue, "utf8").replace('"2.5.0-rc.1"', '"2.5.0-rc.5"'));
    await synthToDist(root, buildCluster);
    const refusal = await pushEstate({ root, remote, branch: "estate/history", build: buildCluster }).catch(
      (e: Error) => e,
    );
    expect(refusal).toBeInstanceOf(PushRefused);
    expect((refusal as Error).message).toMatch(/:clusters\/notes\.txt \(it holds a GitHub token\)/);
    expect(git(bare, "branch", "--list", "estate/history")).toBe("");
    rmSync(root, { recursive: true, force: true });
  });

  it("never moves a branch that exists only on the remote, not even forward", async () => {
    const root = await repository();
    git(root, "push", "-q", remote, "HEAD:refs/heads/estate/remote-only");
    const before = git(bare, "rev-parse", "refs/heads/estate/remote-only");
    const catalogue = join(root, "clusters/catalogue/portal.ts");
    writeFileSync(catalogue, readFileSync(catalogue, "utf8").replace('"2.5.0-rc.1"', '"2.5.0-rc.6"'));
    await synthToDist(root, buildCluster);
    await expect(
      pushEstate({ root, remote, branch: "estate/remote-only", build: buildCluster }),
    ).rejects.toThrow(/already exists on .*; push never moves a branch, not even forward/);
    expect(git(bare, "rev-parse", "refs/heads/estate/remote-only")).toBe(before);
    rmSync(root, { recursive: true, force: true });
  });

  it("a push the server rejects leaves no local branch behind", async () => {
    const root = await repository();
    const catalogue = join(root, "clusters/catalogue/portal.ts");
    writeFileSync(catalogue, readFileSync(catalogue, "utf8").replace('"2.5.0-rc.1"', '"2.5.0-rc.4"'));
    await synthToDist(root, buildCluster);
    await expect(
      pushEstate({
        root,
        remote: "git://127.0.0.1:1/nowhere.git",
        branch: "estate/unreachable",
        build: buildCluster,
      }),
    ).rejects.toThrow();
    expect(git(root, "branch", "--list", "estate/unreachable")).toBe("");
    expect(git(root, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
  });
});

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

describe("the Gitea pull-request workflow", () => {
  it("runs the README's commands, checks dist/, tests, and posts the Markdown diff as a PR comment", async () => {
    const { parse } = await import("yaml");
    const workflow = parse(readFileSync(join(REPO, ".gitea/workflows/pull-request.yaml"), "utf8"));
    expect(workflow.on.pull_request.branches).toEqual(["main"]);
    const runs: string[] = workflow.jobs.review.steps.map((s: { run?: string }) => s.run ?? "");
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    expect(readme).toContain("npm ci && npm run synth");
    expect(runs).toContain("npm ci");
    expect(runs).toContain("npm run synth -- --check");
    expect(runs).toContain("npm test");
    expect(runs.join("\n")).toContain(
      'npm run diff -- --base "origin/${{ gitea.base_ref }}" --format markdown --output diff.md',
    );
    expect(runs).toContain("node .gitea/scripts/upsert-comment.mjs diff.md");
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
      const result = await promote(root, "waterpeil-portal", "dev", "test");
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
