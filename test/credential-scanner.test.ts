import { describe, expect, it } from "vitest";
import type { Cluster } from "../lib/inventory/model.ts";
import { privateKeyProblems } from "../lib/rules/credentials.ts";
import { credentialsInFiles } from "../lib/secrets/scan-files.ts";
import { credentialIn } from "../lib/secrets/scanner.ts";
import { structuralProblems } from "../lib/synth/guards.ts";

/** Fixture strings, assembled so that this file itself holds no credential a scanner would flag. */
const pgp = ["-----BEGIN PGP PRIVATE", "KEY BLOCK-----\nxcLYBF...\n-----END PGP PRIVATE KEY BLOCK-----"].join(
  " ",
);
const pem = ["-----BEGIN EC PRIVATE", "KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----"].join(" ");
const github = `ghp_${"A1b2C3d4E5".repeat(3)}AbCdEf`;

describe("the credential scanner", () => {
  it("finds each kind of credential the hostile tester put in", () => {
    expect(credentialIn(pgp)).toBe("a PGP private key");
    expect(credentialIn(Buffer.from(`${pem}\n${"x".repeat(40)}`).toString("base64"))).toBe(
      "a private key, base64-encoded",
    );
    expect(credentialIn("Server=db;Database=x;User Id=app;Password=Tr0ub4dor3;")).toBe(
      "a password in a connection string",
    );
    expect(credentialIn(`https://${github}@gitea.waterschap.example/estate.git`)).toBe("a GitHub token");
    expect(credentialIn("https://x7Kq9mPz2Lw8Rt5Vn3Yb@gitea.waterschap.example/estate.git")).toBe(
      "a URL with a credential in its user part",
    );
    expect(credentialIn("https://user:hunter22@rekor.example")).toBe("a URL with a password");
    expect(credentialIn("/healthz?token=0123456789abcdef")).toBe("a URL with a credential in its query");
    expect(credentialIn("--token s3cr3tvalue")).toBe("a credential assigned in plain text");
  });

  it("leaves alone what is no credential", () => {
    for (const fine of [
      "https://gitea.waterschap.example/platform/estate.git",
      "postgresql://portal@portal-db-rw.portal.svc:5432/portal",
      "password: ${DB_PASSWORD}",
      "the private key, which lives in the signing service",
      "sha256:0b1e3c5d7f9a2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e",
      "age1x6tdm99dqvu0p7fs0xwfeds0sqnkxr20pvcpw97fzvzzyqszecgqvfq7f2",
    ])
      expect(credentialIn(fine), fine).toBeUndefined();
  });

  it("reads the plaintext parts of SOPS files and the labels of Secrets, not the encrypted values", () => {
    const sops = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: db",
      "  namespace: portal",
      "  labels:",
      `    leaked: ${github}`,
      "  annotations:",
      "    note: Server=db;Password=Tr0ub4dor3;",
      "stringData:",
      "  password: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]",
      "sops:",
      "  mac: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]",
    ].join("\n");
    expect(
      credentialsInFiles(new Map([["secrets/x/db.sops.yaml", sops]])).map(
        (c) => `${c.object}: ${c.field}: ${c.what}`,
      ),
    ).toEqual([
      "Secret portal/db: metadata.labels.leaked: a GitHub token",
      "Secret portal/db: metadata.annotations.note: a password in a connection string",
    ]);
  });

  it("refuses a token in the inventory (the cluster's Git URL) and in a rendered object", () => {
    const problems = privateKeyProblems(
      "clusters/x.ts",
      { git: { url: `https://${github}@gitea.example/e.git` } },
      "x",
    );
    expect(problems.map((p) => `${p.field}: ${p.rule}: ${p.message}`)).toEqual([
      "git.url: no-credentials-in-git: holds a GitHub token; only public material belongs in the inventory",
    ]);
    const cluster = { name: "x", source: "clusters/x.ts" } as Cluster;
    const manifest = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "probe",
        namespace: "app",
        annotations: { check: "/healthz?token=0123456789abcdef" },
      },
    };
    expect(structuralProblems({ cluster, manifest }).map((p) => p.message)).toContain(
      'ConfigMap "app/probe": field "metadata.annotations.check" holds a URL with a credential in its query; credentials belong in SOPS-encrypted values',
    );
  });
});
