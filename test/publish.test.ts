import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM } from "../charts/index.ts";
import { git } from "../lib/git.ts";
import { PushRefused, pushEstate } from "../lib/publish/push.ts";
import { synthToDist } from "../lib/synth/run.ts";
import { repository } from "./git-repository.ts";
import { REPO } from "./helpers.ts";
import { tempDir } from "./temp-dirs.ts";

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
    await synthToDist(root, PLATFORM);
    const result = await pushEstate({ root, remote, branch: "estate/rc2", platform: PLATFORM });
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
    await expect(pushEstate({ root, remote, branch: "estate/stale", platform: PLATFORM })).rejects.toThrow(
      PushRefused,
    );
    await expect(pushEstate({ root, remote, branch: "estate/stale", platform: PLATFORM })).rejects.toThrow(
      /dist\/ is stale/,
    );
    expect(git(bare, "branch", "--list", "estate/stale")).toBe("");
  });

  it("never publishes an untracked .env or a key file, and leaves the user's branch and index alone", async () => {
    const root = await repository();
    const catalogue = join(root, "clusters/catalogue/portal.ts");
    writeFileSync(catalogue, readFileSync(catalogue, "utf8").replace('"2.5.0-rc.1"', '"2.5.0-rc.3"'));
    await synthToDist(root, PLATFORM);
    const headBefore = git(root, "rev-parse", "HEAD");

    writeFileSync(join(root, ".env"), "DB_PASSWORD=hunter2\n");
    await expect(pushEstate({ root, remote, branch: "estate/env", platform: PLATFORM })).rejects.toThrow(
      /changes push does not publish[\s\S]*\.env/,
    );
    rmSync(join(root, ".env"));
    writeFileSync(
      join(root, "keys/deploy.pem"),
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    await expect(pushEstate({ root, remote, branch: "estate/env", platform: PLATFORM })).rejects.toThrow(
      /look like credentials[\s\S]*keys\/deploy\.pem/,
    );
    rmSync(join(root, "keys/deploy.pem"));
    expect(git(bare, "branch", "--list", "estate/env")).toBe("");

    // A .env the repository ignores is not part of the change: push goes ahead without it.
    writeFileSync(join(root, ".gitignore"), `${readFileSync(join(root, ".gitignore"), "utf8")}.env\n`);
    git(root, "commit", "-q", "-m", "ignore .env", "--", ".gitignore");
    writeFileSync(join(root, ".env"), "DB_PASSWORD=hunter2\n");
    const result = await pushEstate({ root, remote, branch: "estate/env", platform: PLATFORM });
    const files = git(bare, "ls-tree", "-r", "--name-only", result.commit).split("\n");
    expect(files).not.toContain(".env");
    expect(files.some((f) => f.endsWith(".pem") || f.endsWith(".key"))).toBe(false);
    expect(git(bare, "show", `${result.commit}:clusters/catalogue/portal.ts`)).toContain('"2.5.0-rc.3"');
    // The user is where they were: same branch, same HEAD (plus their own commit), work tree dirty as before.
    expect(git(root, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(git(root, "rev-parse", "HEAD~1")).toBe(headBefore);
    expect(git(root, "status", "--porcelain")).toContain("clusters/catalogue/portal.ts");

    // The branch exists now: a second push refuses instead of moving it.
    await expect(pushEstate({ root, remote, branch: "estate/env", platform: PLATFORM })).rejects.toThrow(
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
    await synthToDist(root, PLATFORM);
    const refusal = await pushEstate({ root, remote, branch: "estate/history", platform: PLATFORM }).catch(
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
    await synthToDist(root, PLATFORM);
    await expect(
      pushEstate({ root, remote, branch: "estate/remote-only", platform: PLATFORM }),
    ).rejects.toThrow(/already exists on .*; push never moves a branch, not even forward/);
    expect(git(bare, "rev-parse", "refs/heads/estate/remote-only")).toBe(before);
    rmSync(root, { recursive: true, force: true });
  });

  it("a push the server rejects leaves no local branch behind", async () => {
    const root = await repository();
    const catalogue = join(root, "clusters/catalogue/portal.ts");
    writeFileSync(catalogue, readFileSync(catalogue, "utf8").replace('"2.5.0-rc.1"', '"2.5.0-rc.4"'));
    await synthToDist(root, PLATFORM);
    await expect(
      pushEstate({
        root,
        remote: "git://127.0.0.1:1/nowhere.git",
        branch: "estate/unreachable",
        platform: PLATFORM,
      }),
    ).rejects.toThrow();
    expect(git(root, "branch", "--list", "estate/unreachable")).toBe("");
    expect(git(root, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
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
