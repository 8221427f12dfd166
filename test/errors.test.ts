import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { PLATFORM } from "../charts/index.ts";
import { main as explainMain } from "../commands/explain.ts";
import { type EstateError, fileSystemMessage } from "../lib/errors.ts";
import { readCaCertificate, readCosignKey } from "../lib/estate/keys.ts";
import { readTree } from "../lib/synth/dist-tree.ts";
import { synthToDist } from "../lib/synth/run.ts";
import { validateDist } from "../lib/validate/index.ts";
import { main as synthMain } from "../main.ts";
import { FIXTURE, runCommand, runMain, sandbox, sandboxWithDist } from "./helpers.ts";

describe("key files the inventory names", () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const read = (content: string) => () => content;

  it("refuses cosign's own private key format as the public key", () => {
    const sigstore =
      "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
    expect(readCosignKey("clusters/x.ts", "x", "keys/cosign.pub", read(sigstore))).toMatchObject({
      message: '"keys/cosign.pub" holds a private key; only the public part belongs in the repository',
    });
  });

  it("refuses a private key as the CA certificate or as the cosign public key", () => {
    expect(readCaCertificate("clusters/x.ts", "x", "keys/ca.crt", read(privatePem))).toMatchObject({
      field: "pki.caCertificate",
      message: '"keys/ca.crt" holds a private key; only the public part belongs in the repository',
    });
    expect(readCosignKey("clusters/x.ts", "x", "keys/cosign.pub", read(privatePem))).toMatchObject({
      field: "images.cosignPublicKey",
      message: '"keys/cosign.pub" holds a private key; only the public part belongs in the repository',
    });
  });

  it("refuses a CA file that is a public key, not a CA certificate", () => {
    const cosign = readFileSync(join(FIXTURE, "keys/cosign.pub"), "utf8");
    expect(readCaCertificate("clusters/x.ts", "x", "keys/ca.crt", read(cosign))).toMatchObject({
      message: '"keys/ca.crt" is not a PEM X.509 certificate',
    });
    expect(
      readCaCertificate(
        "clusters/x.ts",
        "x",
        "keys/ca.crt",
        read(readFileSync(join(FIXTURE, "keys/org-ca.crt"), "utf8")),
      ),
    ).toBe(readFileSync(join(FIXTURE, "keys/org-ca.crt"), "utf8"));
  });
});

describe("errors that are clear, once, and where the mistake is", () => {
  const synthIn = (cwd: string) => runMain(synthMain, [], cwd);

  it("a workload that fails its schema is reported once, not again as missing from every flow", async () => {
    const root = sandbox();
    const file = join(root, "clusters/catalogue/meetdata.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace('name: "meetdata-api"', 'name: "Meetdata_API"'));
    const error = (await synthToDist(root, PLATFORM).catch((e: unknown) => e)) as EstateError;
    const lines = error.message.split("\n");
    expect(lines).toEqual([...new Set(lines)]);
    expect(lines.filter((l) => l.includes("does not exist"))).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it("a cluster file that clusters/index.ts does not list is an error, not ignored", async () => {
    const root = sandbox();
    writeFileSync(
      join(root, "clusters/rke2-edge.ts"),
      readFileSync(join(root, "clusters/rke2-cloud.ts"), "utf8").replace('"rke2-cloud"', '"rke2-edge"'),
    );
    await expect(synthToDist(root, PLATFORM)).rejects.toThrow(
      "clusters/rke2-edge.ts: is not listed in clusters/index.ts (clusterFiles), so synth would ignore it",
    );
  });

  it("a cluster file Node cannot load is named with its line and the source Node quotes, once", () => {
    const root = sandbox();
    const file = join(root, "clusters/rke2-cloud.ts");
    const lines = readFileSync(file, "utf8").split("\n").length;
    // Cluster files load through Node's own type stripping: an enum is TypeScript it cannot strip.
    // A real process: in-process, vitest's loader would strip the enum itself.
    writeFileSync(file, `${readFileSync(file, "utf8")}enum Zone { North }\n`);
    const result = runCommand("main.ts", [], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `clusters/rke2-cloud.ts:${lines}: cannot be loaded: TypeScript enum is not supported in strip-only mode\n`,
    );
    expect(result.stderr).toContain("\n    enum Zone { North }\n");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, "dist"))).toBe(false);
  });

  it("without a dist/, explain says to render it and synth --check calls every file stale; no stack trace", async () => {
    const root = sandbox();
    const explain = await runMain(explainMain, ["vllm"], root);
    expect([explain.status, explain.stderr]).toEqual([
      1,
      "explain: dist/ does not exist; run `npm run synth`\n",
    ]);
    const check = await runMain(synthMain, ["--check"], root);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/^synth --check: dist\/ is stale, \d+ file\(s\) differ:\n/);
    expect(check.stderr).not.toMatch(/\n\s+at /);
  });

  it("synth runs from any directory of the repository", async () => {
    const root = sandbox();
    const result = await synthIn(join(root, "clusters/catalogue"));
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/synth: 3 clusters, \d+ objects written to dist\//);
    expect(existsSync(join(root, "dist/clusters/rke2-core"))).toBe(true);
  });

  it("a second synth while one runs is refused with a message, no stack trace, dist/ untouched", async () => {
    const root = sandboxWithDist(new Map([["dist/clusters/x/namespace-x.yaml", "kind: Namespace\n"]]));
    // A live process holds the lock: this test's own.
    writeFileSync(join(root, ".dist.lock"), `${process.pid}\n`);
    const result = await synthIn(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`another synth (pid ${process.pid}) is writing dist/`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(root)).toEqual(new Map([["dist/clusters/x/namespace-x.yaml", "kind: Namespace\n"]]));
  });

  it("file-system errors a user can fix are explained, not thrown", () => {
    const erofs = Object.assign(new Error("read-only"), { code: "EROFS", path: "/repo/dist.tmp-1" });
    expect(fileSystemMessage(erofs)).toBe(
      "cannot write (/repo/dist.tmp-1): the file system refuses it (EROFS); check the permissions of the repository",
    );
    expect(fileSystemMessage(Object.assign(new Error("full"), { code: "ENOSPC" }))).toBe(
      "cannot write: the disk is full (ENOSPC)",
    );
    expect(fileSystemMessage(Object.assign(new Error("busy"), { code: "EBUSY", path: "/repo/dist" }))).toBe(
      "cannot replace (/repo/dist): it is a mount point or on another file system (EBUSY); synth swaps dist/ as a whole, so dist/ must be a plain folder of the repository",
    );
    expect(fileSystemMessage(Object.assign(new Error("bug"), { code: "EBADF" }))).toBeUndefined();
  });

  it("secretEnv is the typed way to a credential: a secretKeyRef in the pod, a Secret validate requires", async () => {
    const root = sandbox();
    const file = join(root, "clusters/catalogue/portal.ts");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        'flows: [{ to: "portal-db" }],',
        'flows: [{ to: "portal-db" }],\n    secretEnv: { DB_PASSWORD: { secret: "portal-db-login", key: "password" } },',
      ),
    );
    await synthToDist(root, PLATFORM);
    const deployment = parse(
      readFileSync(join(root, "dist/clusters/rke2-cloud/apps/portal/deployment-portal-api.yaml"), "utf8"),
    );
    const env = deployment.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: "DB_PASSWORD",
      valueFrom: { secretKeyRef: { name: "portal-db-login", key: "password" } },
    });
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    expect(problems.join("\n")).toContain(
      "Deployment portal/portal-api: spec.template.spec.containers[0].env[5].valueFrom.secretKeyRef references Secret portal/portal-db-login, which nothing provides",
    );
  });
});
