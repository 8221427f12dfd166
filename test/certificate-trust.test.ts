import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import { EstateError } from "../lib/errors.ts";
import { readClusterCaCertificate } from "../lib/estate/keys.ts";
import { type ClusterSource, validateEstate } from "../lib/estate/validate.ts";
import type { HydratedObject } from "../lib/hydrate/index.ts";
import type { Estate } from "../lib/inventory/model.ts";
import type { ClusterInput } from "../lib/inventory/schema.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { caKeyProblems, externalClusterTrustProblems } from "../lib/validate/certificate-trust.ts";
import { databaseCredentialProblems } from "../lib/validate/database-credentials.ts";
import { FIXTURE, objectsOf, REPO, renderFixtureEstate, withClusters } from "./helpers.ts";

const PKI = join(REPO, "test/fixtures/pki");
const OWN_CA = readFileSync(join(REPO, "keys/rke2-cloud-ca.crt"), "utf8");

/** The fixture estate with one cluster given a CA of its own, as `pki.clusterCaCertificate` would. */
function withOwnCa(estate: Estate, name: string): Estate {
  return withClusters(
    estate,
    (c) => c.name === name,
    (c) => ({ ...c, pki: { ...c.pki, clusterCa: { path: "keys/own-ca.crt", pem: OWN_CA } } }),
  );
}

function hydrated(tree: FileTree): Map<string, HydratedObject[]> {
  const byCluster = new Map<string, HydratedObject[]>();
  for (const o of objectsOf(tree))
    byCluster.set(o.cluster, [
      ...(byCluster.get(o.cluster) ?? []),
      { cluster: o.cluster, origin: o.path, manifest: o.manifest },
    ]);
  return byCluster;
}

const rendered = new Map<string, Promise<{ estate: Estate; objects: Map<string, HydratedObject[]> }>>();

/** The fixture estate rendered with one cluster's own CA (once per cluster in this file). */
function renderWithOwnCa(name: string) {
  if (!rendered.has(name))
    rendered.set(
      name,
      renderFixtureEstate().then(async ({ estate, root }) => {
        const edited = withOwnCa(estate, name);
        return { estate: edited, objects: hydrated(await synthesize(edited, root, buildCluster)) };
      }),
    );
  return rendered.get(name)!;
}

const cluster = (estate: Estate, name: string) => estate.clusters.find((c) => c.name === name)!;

/** Edits one object of a cluster's hydrated list in place of the original. */
function edit(
  objects: HydratedObject[],
  kind: string,
  name: string,
  change: (m: any) => void,
): HydratedObject[] {
  return objects.map((o) => {
    if (o.manifest.kind !== kind || o.manifest.metadata?.name !== name) return o;
    const manifest = structuredClone(o.manifest);
    change(manifest);
    return { ...o, manifest };
  });
}

/** The fixture estate's cloud cluster as its file declares it (loaded where its imports resolve). */
async function fixtureCloud(): Promise<ClusterInput> {
  const { root } = await renderFixtureEstate();
  return (await import(join(root, "clusters/rke2-cloud.ts"))).default as ClusterInput;
}

describe("a cluster's own CA in the inventory", async () => {
  const rke2Cloud = await fixtureCloud();
  const readKey = (path: string) =>
    readFileSync(path.startsWith("test-pki/") ? join(PKI, path.slice(9)) : join(FIXTURE, path), "utf8");
  const cloudWith = (pki: Record<string, string>): ClusterSource[] => [
    { file: "clusters/rke2-cloud.ts", input: { ...structuredClone(rke2Cloud), pki } },
  ];
  const errorOf = (pki: Record<string, string>): string => {
    try {
      validateEstate(cloudWith(pki), [], readKey, PLATFORM_COMPONENTS);
    } catch (error) {
      expect(error).toBeInstanceOf(EstateError);
      return (error as Error).message;
    }
    throw new Error("expected the inventory to be refused");
  };
  const field = 'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "pki.clusterCaCertificate"';
  const org = "test-pki/org-root.crt";

  it("must be a root of its own: not the organisation's CA, nothing it signed, a CA, self-signed", () => {
    expect(errorOf({ caCertificate: org, clusterCaCertificate: org })).toContain(
      `${field}: "${org}" is the organisation's CA itself`,
    );
    expect(
      errorOf({ caCertificate: org, clusterCaCertificate: "test-pki/intermediate-under-org.crt" }),
    ).toContain("is issued by the organisation's CA; a cluster's own CA must be a root of its own");
    expect(errorOf({ caCertificate: org, clusterCaCertificate: "test-pki/not-a-ca.crt" })).toContain(
      "is not a CA certificate",
    );
    expect(
      errorOf({ caCertificate: org, clusterCaCertificate: "test-pki/ca-under-other-root.crt" }),
    ).toContain("is not self-signed");
  });

  it("a self-signed CA apart from the organisation's is accepted", () => {
    const orgPem = readFileSync(join(FIXTURE, "keys/org-ca.crt"), "utf8");
    const read = (path: string) => readFileSync(join(REPO, path), "utf8");
    expect(readClusterCaCertificate("f", "c", "keys/rke2-cloud-ca.crt", orgPem, read)).toBe(OWN_CA);
  });
});

describe("the CA key only where certificates are issued with it", () => {
  it("a cluster with its own CA issues its local certificates with it and holds no key of the organisation's CA", async () => {
    const { estate, objects } = await renderWithOwnCa("rke2-cloud");
    const own = objects.get("rke2-cloud") ?? [];
    const issuers = own.filter((o) => o.manifest.kind === "ClusterIssuer").map((o) => o.manifest.spec);
    expect(issuers).toEqual([{ ca: { secretName: "cluster-ca-key-pair" } }]);
    expect(caKeyProblems(cluster(estate, "rke2-cloud"), own)).toEqual([]);
    // Its database clients verify with that CA; the subscription to the datacenter with the organisation's.
    expect(databaseCredentialProblems(estate, objects)).toEqual([]);
    expect(externalClusterTrustProblems(estate, objects)).toEqual([]);
  });

  it("the organisation's key on such a cluster, or a key nothing is issued with, is refused", async () => {
    const { estate, objects } = await renderWithOwnCa("rke2-cloud");
    const cloud = cluster(estate, "rke2-cloud");
    const withOrgKey = edit(objects.get("rke2-cloud") ?? [], "ClusterIssuer", "cluster-ca", (m) => {
      m.spec.ca.secretName = "org-ca-key-pair";
    });
    expect(caKeyProblems(cloud, withOrgKey)).toContain(
      `cluster "rke2-cloud": rule ca-key-placement: ClusterIssuer cluster-ca needs the organisation's CA key (org-ca-key-pair) on a cluster with a CA of its own (pki.clusterCaCertificate)`,
    );
    const unused = (objects.get("rke2-cloud") ?? []).filter((o) => o.manifest.kind !== "Certificate");
    expect(caKeyProblems(cloud, unused)).toEqual([
      `cluster "rke2-cloud": rule ca-key-placement: ClusterIssuer cluster-ca puts the key cluster-ca-key-pair on the cluster, and no Certificate is issued with it`,
    ]);
  });

  it("a certificate whose issuer is missing or unknown cannot be proven", async () => {
    const { estate, objects } = await renderFixtureEstate().then(async ({ estate, tree }) => ({
      estate,
      objects: hydrated(tree),
    }));
    const core = cluster(estate, "rke2-core");
    const renamed = edit(objects.get("rke2-core") ?? [], "Certificate", "keycloak-tls", (m) => {
      m.spec.issuerRef.name = "vault";
    });
    expect(caKeyProblems(core, renamed)).toContain(
      `cluster "rke2-core": rule ca-key-placement: Certificate identity/keycloak-tls: ClusterIssuer vault is not rendered on this cluster: the certificate is never issued`,
    );
    const acme = edit(objects.get("rke2-core") ?? [], "ClusterIssuer", "org-ca", (m) => {
      m.spec = { acme: { server: "https://acme.example" } };
    });
    expect(caKeyProblems(core, acme).join("\n")).toContain(
      "cannot prove: ClusterIssuer org-ca signs with no CA of the inventory (acme)",
    );
  });

  it("a certificate verified outside the cluster is refused at synth on a cluster with a CA of its own", async () => {
    const { estate, root } = await renderFixtureEstate();
    const error = await synthesize(withOwnCa(estate, "rke2-core"), root, buildCluster).catch((e) => e);
    expect(error).toBeInstanceOf(EstateError);
    expect(error.message).toMatch(
      /clusters\/rke2-core\.ts: cluster "rke2-core": field "pki\.clusterCaCertificate": rule ca-key-placement: certificate \S+ is verified outside the cluster and must come from the organisation's CA/,
    );
  });
});

describe("clients verify with the CA that signs their server", () => {
  it("a database client whose bundle lacks its server's CA fails verify-full", async () => {
    const { estate, objects } = await renderWithOwnCa("rke2-cloud");
    const orgPem = cluster(estate, "rke2-cloud").pki.caCertificatePem;
    const swapped = new Map(objects);
    swapped.set(
      "rke2-cloud",
      edit(objects.get("rke2-cloud") ?? [], "Secret", "cluster-ca", (m) => {
        m.stringData["ca.crt"] = orgPem;
      }),
    );
    const problems = databaseCredentialProblems(estate, swapped);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems)
      expect(p).toMatch(
        /verify-full cannot succeed: the CA bundle \S+\/cluster-ca does not hold .*CN=rke2-cloud cluster CA.*, which signs the server's certificate/,
      );
  });

  it("the subscription across clusters verifies the publisher with the CA that signs it, wherever it is issued", async () => {
    const { estate, objects } = await renderWithOwnCa("rke2-cloud");
    const swapped = new Map(objects);
    swapped.set(
      "rke2-cloud",
      edit(objects.get("rke2-cloud") ?? [], "Cluster", "portal-db", (m) => {
        m.spec.externalClusters[0].sslRootCert.name = "cluster-ca";
      }),
    );
    // the data namespace has no cluster-ca bundle; with one it still lacks the organisation's CA
    expect(externalClusterTrustProblems(estate, swapped)).toEqual([
      expect.stringMatching(
        /portal-db external cluster core-postgis .*: the CA bundle Secret data\/cluster-ca does not exist/,
      ),
    ]);
    const selfSigned = new Map(objects);
    selfSigned.set(
      "rke2-core",
      edit(objects.get("rke2-core") ?? [], "ClusterIssuer", "org-ca", (m) => {
        m.spec = { selfSigned: {} };
      }),
    );
    expect(externalClusterTrustProblems(estate, selfSigned)).toEqual([
      expect.stringContaining(
        "the server's certificate is self-signed (ClusterIssuer org-ca); no bundle holds it",
      ),
    ]);
  });
});
