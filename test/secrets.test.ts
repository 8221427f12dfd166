import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { ApiObject, App, Chart } from "cdk8s";
import { decryptSops as independentDecrypt } from "sops-age";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { main as secretsMain } from "../commands/secrets.ts";
import { EstateError } from "../lib/errors.ts";
import { loadEstate } from "../lib/estate/load.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { writeClientSecrets } from "../lib/secrets/client.ts";
import { writeDatabaseSecrets } from "../lib/secrets/database.ts";
import { readEncryptedSecrets } from "../lib/secrets/files.ts";
import { isPublicCaBundle } from "../lib/secrets/public.ts";
import { decryptSops, encryptSops } from "../lib/secrets/sops.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { validateHydrated } from "../lib/validate/hydrated.ts";
import { FIXTURE, REPO, renderFixtureEstate, runMain, sandbox } from "./helpers.ts";

const SECRET = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "loki-s3", namespace: "observability" },
  stringData: { LOKI_S3_ACCESS_KEY_ID: "loki", LOKI_S3_SECRET_ACCESS_KEY: "s3cr3t value" },
  type: "Opaque",
};

describe("SOPS files, with a throwaway age key", () => {
  it("decrypt with the key, by an independent SOPS implementation and by ours (MAC verified)", async () => {
    const identity = await generateX25519Identity();
    const encrypted = await encryptSops(SECRET, [await identityToRecipient(identity)]);
    expect(JSON.stringify(encrypted)).not.toContain("s3cr3t");
    expect(await independentDecrypt(stringify(encrypted), { secretKey: identity, fileType: "yaml" })).toEqual(
      SECRET,
    );
    expect(await decryptSops(encrypted, identity)).toEqual(SECRET);
  });

  it("stay valid through synth's serialisation, and detect tampering", async () => {
    const identity = await generateX25519Identity();
    const encrypted = await encryptSops(SECRET, [await identityToRecipient(identity)]);
    const chart = new Chart(new App(), "c");
    const written = new ApiObject(chart, "s", encrypted as never).toJson();
    expect(await decryptSops(written, identity)).toEqual(SECRET);
    const renamed = { ...written, metadata: { ...written.metadata, name: "other" } };
    await expect(decryptSops(renamed, identity)).rejects.toThrow("MAC mismatch");
    await expect(decryptSops(written, await generateX25519Identity())).rejects.toThrow(
      "none of the file's recipients",
    );
  });
});

describe("every Secret reference has a source; Git holds no plaintext Secret", () => {
  let estate: Estate;
  let tree: FileTree;
  beforeAll(async () => {
    ({ estate, tree } = await renderFixtureEstate());
  });
  const LOKI_S3 = "dist/clusters/rke2-core/apps/observability/secret-loki-s3.yaml";

  it("the default estate resolves every reference", async () => {
    const { problems, secrets } = await validateHydrated(REPO, tree, estate);
    expect(problems).toEqual([]);
    const core = secrets[estate.clusters.findIndex((c) => c.name === "rke2-core")];
    expect(core?.sources.sops).toBeGreaterThan(5);
    expect(core?.sources.outOfBand).toBeGreaterThan(0);
  });

  it("refuses a plaintext Secret in dist/", async () => {
    const files = new Map(tree);
    files.set(LOKI_S3, stringify(SECRET));
    const { problems } = await validateHydrated(REPO, files, estate);
    expect(problems).toContain(
      `cluster "rke2-core": secrets: ${LOKI_S3}: Secret observability/loki-s3 is plain text in Git; encrypt it with \`npm run secrets -- set\``,
    );
  });

  it("names a reference that nothing provides", async () => {
    const files = new Map(tree);
    files.delete(LOKI_S3);
    const { problems } = await validateHydrated(REPO, files, estate);
    expect(problems.join("\n")).toContain(
      "StatefulSet observability/loki: spec.template.spec.containers[0].envFrom[0].secretRef references Secret observability/loki-s3, which nothing provides",
    );
  });
});

describe("public CA bundles: the one Secret shape allowed in plain text", () => {
  const CA = readFileSync(join(FIXTURE, "keys/org-ca.crt"), "utf8");
  const bundle = (stringData: Record<string, string>, labelled = true) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: "org-ca",
      namespace: "data",
      ...(labelled ? { labels: { "waterschap.example/public-ca": "true" } } : {}),
    },
    stringData,
  });

  it("accepts only a labelled ca.crt of CA certificates", () => {
    expect(isPublicCaBundle(bundle({ "ca.crt": CA }))).toBe(true);
    expect(isPublicCaBundle(bundle({ "ca.crt": CA }, false))).toBe(false);
    expect(isPublicCaBundle(bundle({ "ca.crt": CA, password: "x" }))).toBe(false);
    expect(
      isPublicCaBundle(
        bundle({ "ca.crt": `${CA}-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n` }),
      ),
    ).toBe(false);
    expect(isPublicCaBundle(bundle({ "ca.crt": "not a certificate" }))).toBe(false);
  });

  it("validate refuses a labelled bundle that smuggles a credential", async () => {
    const { estate, tree } = await renderFixtureEstate();
    const file = "dist/clusters/rke2-cloud/apps/data/secret-org-ca.yaml";
    expect(tree.has(file)).toBe(true);
    const files = new Map(tree);
    files.set(file, stringify(bundle({ "ca.crt": CA, "tls.key": "secret" })));
    const { problems } = await validateHydrated(REPO, files, estate);
    expect(problems.join("\n")).toContain("Secret data/org-ca is plain text in Git");
  });
});

describe("npm run secrets -- client", () => {
  it("writes a caller's client secret on both sides and its gateway credentials, for the right recipients", async () => {
    const root = sandbox();
    const estate = await loadEstate(root, PLATFORM_COMPONENTS);
    const files = await writeClientSecrets(root, estate, "cloud-agents");
    expect(files.sort()).toEqual([
      "secrets/rke2-cloud/agents/oidc-client-cloud-agents.sops.yaml",
      "secrets/rke2-core/identity/oidc-client-cloud-agents.sops.yaml",
      "secrets/rke2-core/kong/acl-cloud-agents-legacy-connectors-callers.sops.yaml",
      "secrets/rke2-core/kong/jwt-cloud-agents.sops.yaml",
    ]);
    const doc = (file: string) => parse(readFileSync(join(root, file), "utf8"));
    const cloud = estate.clusters.find((c) => c.name === "rke2-cloud");
    expect(doc(files[0] as string).sops.age.map((a: { recipient: string }) => a.recipient)).toEqual(
      cloud?.sops.age,
    );
    expect(doc("secrets/rke2-core/kong/jwt-cloud-agents.sops.yaml").metadata.labels).toEqual({
      "konghq.com/credential": "jwt",
    });
    await expect(writeClientSecrets(root, estate, "portal-api")).rejects.toThrow(
      '"portal-api" is no client of the realm',
    );
  });
});

describe("npm run secrets -- database", () => {
  it("gives each environment's connection one new password, beside the database and in the workload's namespace", async () => {
    const root = sandbox();
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const loaded = await loadEstate(root, PLATFORM_COMPONENTS);
    // A throwaway key for every cluster, so the test can read what was written.
    const clusters = loaded.clusters.map((c) => ({ ...c, sops: { age: [recipient] } }));
    const placements = loaded.placements.map((p) => ({
      ...p,
      cluster: clusters.find((c) => c.name === p.cluster.name) as (typeof clusters)[number],
    }));
    const estate: Estate = { ...loaded, clusters, placements };
    const files = await writeDatabaseSecrets(root, estate, "portal-api");
    expect(files).toHaveLength(8);
    const secret = async (file: string) =>
      (await decryptSops(parse(readFileSync(join(root, file), "utf8")), identity)) as any;
    const role = await secret("secrets/rke2-cloud/data/role-portal-api.sops.yaml");
    const connection = await secret("secrets/rke2-cloud/portal/db-portal-db.sops.yaml");
    expect(role.type).toBe("kubernetes.io/basic-auth");
    expect(role.stringData).toEqual({ username: "portal_api", password: connection.stringData.password });
    const dev = await secret("secrets/rke2-nonprod/dev-portal/db-portal-db.sops.yaml");
    expect(dev.stringData.password).not.toBe(connection.stringData.password);
    await expect(writeDatabaseSecrets(root, estate, "druppie-router")).rejects.toThrow(
      "has no flow to a database",
    );
    rmSync(root, { recursive: true, force: true });
  });
});

describe("npm run secrets: mistakes get one named message, and no file", () => {
  it("refuses a path as a name, an unreadable --from-file and a credential in a clear-text label", async () => {
    const run = (...args: string[]) => runMain(secretsMain, ["set", "rke2-core", ...args], REPO);
    const outside = await run("../../etc/passwd", "--literal", "a=b");
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain(
      '"../../etc/passwd" is not <namespace>/<name> (a DNS label and a DNS name; no paths)',
    );
    const missing = await run("portal/x", "--from-file", "key=/nonexistent/file");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(
      "--from-file key=/nonexistent/file: cannot read /nonexistent/file (ENOENT)",
    );
    const token = `ghp_${"Z9y8X7w6V5".repeat(3)}UtSrQp`;
    const label = await run("portal/x", "--literal", "a=b", "--label", `note=${token}`);
    expect(label.status).toBe(2);
    expect(label.stderr).toContain(
      "--label note: holds a GitHub token; labels are not encrypted, put it in --literal",
    );
    for (const r of [outside, missing, label]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("secrets/ that someone broke by hand", () => {
  it("names a truncated SOPS file and a stray file instead of a stack trace", () => {
    const root = mkdtempSync(join(tmpdir(), "secrets-"));
    try {
      mkdirSync(join(root, "secrets/rke2-core/portal"), { recursive: true });
      writeFileSync(
        join(root, "secrets/rke2-core/portal/db.sops.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db\n",
      );
      writeFileSync(join(root, "secrets/notes.txt"), "todo");
      writeFileSync(join(root, "secrets/rke2-core/stray.yaml"), "x: 1");
      const clusters = [{ name: "rke2-core", sops: { age: ["age1x"] } }] as unknown as Cluster[];
      let message = "";
      try {
        readEncryptedSecrets(root, clusters);
      } catch (error) {
        expect(error).toBeInstanceOf(EstateError);
        message = (error as Error).message;
      }
      expect(message).toContain("secrets/notes.txt: is not a cluster folder");
      expect(message).toContain(
        'secrets/rke2-core/stray.yaml: cluster "rke2-core": is not a namespace folder',
      );
      expect(message).toMatch(
        /secrets\/rke2-core\/portal\/db\.sops\.yaml: cluster "rke2-core": is not valid YAML \(.*\): truncated\?/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
