import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Chart } from "cdk8s";
import { Secret } from "kubernetes-models/v1";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCluster } from "../charts/index.ts";
import { EstateError } from "../lib/errors.ts";
import { Layer } from "../lib/flux/layers.ts";
import { readCaCertificate, readCosignKey } from "../lib/inventory/keys.ts";
import { loadEstate } from "../lib/inventory/load.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import { synthToDist } from "../lib/synth/run.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { readTree } from "../lib/validate/dist-tree.ts";
import { REPO, renderDefaultEstate, sandboxWithDist } from "./helpers.ts";

/** Each case: a file under clusters/, a text replacement that breaks it, and the message synth must give. */
const BAD_INPUTS: { name: string; file: string; from: string | RegExp; to: string; message: string }[] = [
  {
    name: "data-level=high placed on a cloud cluster",
    file: "catalogue/meetdata.ts",
    from: /prod: \{\s*cluster: "rke2-core",\s*version: "sha256:/,
    to: 'prod: { cluster: "rke2-cloud", version: "sha256:',
    message:
      'clusters/catalogue/meetdata.ts: cluster "rke2-cloud": workload "meetdata-ingest": field "dataLevel": rule geo-fencing: data-level=high must stay in the datacenter',
  },
  {
    name: "an image outside the allowed registry",
    file: "catalogue/portal.ts",
    from: "image: `${registry}/apps/portal-api`",
    to: 'image: "docker.io/library/portal-api"',
    message:
      'workload "portal-api": field "image": rule allowed-registry: image "docker.io/library/portal-api:1.7.3" is not from registry.waterschap.example',
  },
  {
    name: "an unpinned image (latest)",
    file: "catalogue/portal.ts",
    from: 'prod: { cluster: "rke2-cloud", version: "1.7.3" }',
    to: 'prod: { cluster: "rke2-cloud", version: "latest" }',
    message:
      'workload "portal-api": field "deploy.<stage>.version": rule pinned-image: version "latest" is not a pin',
  },
  {
    name: "a GPU workload on a cluster without GPU nodes",
    file: "catalogue/portal.ts",
    from: 'group: "portal",\n    image: `${registry}/apps/waterpeil-portal`,',
    to: 'group: "portal",\n    gpu: 1,\n    image: `${registry}/apps/waterpeil-portal`,',
    message:
      'cluster "rke2-cloud": workload "waterpeil-portal": field "gpu": rule gpu-nodes: asks for 1 GPU(s), but rke2-cloud has no GPU nodes',
  },
  {
    name: "requests above limits",
    file: "catalogue/portal.ts",
    from: "resources: small,\n    replicas: 2,\n    health",
    to: 'resources: { requests: { cpu: "2", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } },\n    replicas: 2,\n    health',
    message: 'workload "portal-api": field "resources": rule requests-limits: requests exceed limits for cpu',
  },
  {
    name: "a mistyped cluster name in the catalogue",
    file: "catalogue/portal.ts",
    from: 'prod: { cluster: "rke2-cloud", version: "1.7.3" }',
    to: 'prod: { cluster: "rke2-clod", version: "1.7.3" }',
    message:
      'clusters/catalogue/portal.ts: workload "portal-api": field "deploy.prod.cluster": rule known-cluster: cluster "rke2-clod" does not exist; did you mean "rke2-cloud"?',
  },
  {
    name: "an environment on a cluster that does not run it",
    file: "catalogue/portal.ts",
    from: 'dev: { cluster: "rke2-nonprod", version: "1.8.0" }',
    to: 'dev: { cluster: "rke2-cloud", version: "1.8.0" }',
    message:
      'workload "portal-api": field "deploy.dev.cluster": rule otap-stage: environment "dev" does not run on cluster "rke2-cloud"',
  },
  {
    name: "a flow to a workload that does not exist",
    file: "catalogue/portal.ts",
    from: 'flows: [{ to: "portal-api" }, ',
    to: 'flows: [{ to: "portal-apii" }, ',
    message:
      'workload "waterpeil-portal": field "flows.0.to": rule flow-target: workload "portal-apii" does not exist; did you mean "portal-api"?',
  },
  {
    name: "a flow across clusters",
    file: "catalogue/portal.ts",
    from: 'flows: [{ to: "portal-api" }, ',
    to: 'flows: [{ to: "meetdata-api" }, ',
    message:
      'cluster "rke2-cloud": workload "waterpeil-portal": field "flows.0.to": rule otap-isolation: "meetdata-api" does not run in prod on rke2-cloud',
  },
  {
    name: "two workloads with the same name",
    file: "catalogue/portal.ts",
    from: 'name: "portal-api",',
    to: 'name: "waterpeil-portal",',
    message:
      'workload "waterpeil-portal": field "name": rule unique-names: is already defined in clusters/catalogue/portal.ts',
  },
  {
    name: "a workload name that is not a DNS label",
    file: "catalogue/meetdata.ts",
    from: 'name: "meetdata-api",',
    to: 'name: "Meetdata_API",',
    message:
      'clusters/catalogue/meetdata.ts: workload "Meetdata_API": field "name": must be a DNS-1123 label',
  },
  {
    name: "a data-level=high workload calling an external model",
    file: "catalogue/ai.ts",
    from: 'flows: [{ to: "vllm" }, { to: "ollama" }, { to: "legacy-connectors" }, { to: "webodm" }],',
    to: 'flows: [{ to: "vllm" }, { to: "ollama" }, { to: "legacy-connectors" }, { to: "webodm" }],\n    egress: ["azure-openai"],',
    message:
      'workload "internal-agents": field "egress": rule external-egress: data-level=high workloads may not call external endpoints',
  },
  {
    name: "a route forwarded through a cluster without a public gateway",
    file: "catalogue/operations.ts",
    from: 'publishVia: "rke2-cloud"',
    to: 'publishVia: "rke2-nonprod"',
    message:
      'workload "webodm": field "routes.0.publishVia": rule route-forward: "rke2-nonprod" has no public gateway',
  },
  {
    name: "developer access on a production cluster",
    file: "rke2-core.ts",
    from: 'dns: { domain: "core.waterschap.example" },',
    to: 'dns: { domain: "core.waterschap.example" },\n  developerGroups: ["developers"],',
    message:
      'clusters/rke2-core.ts: cluster "rke2-core": field "developerGroups": rule no-human-access-in-prod',
  },
  {
    name: "an invalid DNS domain",
    file: "rke2-cloud.ts",
    from: '"cloud.waterschap.example"',
    to: '"Cloud_Gateway"',
    message: 'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "dns.domain": must be a lowercase DNS name',
  },
  {
    name: "a tunnel endpoint naming a cluster that does not exist",
    file: "rke2-cloud.ts",
    from: 'gatewayOf: "rke2-core"',
    to: 'gatewayOf: "rke2-cor"',
    message:
      'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "externalEndpoints.core-gateway.gatewayOf": "rke2-cor" is not another cluster of the inventory',
  },
  {
    name: "a JWT route naming a caller that does not exist",
    file: "catalogue/operations.ts",
    from: 'callers: ["cloud-agents"]',
    to: 'callers: ["cloud-agent"]',
    message:
      'clusters/catalogue/operations.ts: workload "legacy-connectors": field "routes.0.jwt.callers.0": rule jwt-caller: workload "cloud-agent" does not exist; did you mean "cloud-agents"?',
  },
  {
    name: "a CA file that is not a CA certificate (the cosign public key)",
    file: "rke2-core.ts",
    from: 'pki: { caCertificate: "keys/org-ca.crt" }',
    to: 'pki: { caCertificate: "keys/cosign.crt" }',
    message:
      'clusters/rke2-core.ts: cluster "rke2-core": field "pki.caCertificate": cannot read "keys/cosign.crt"',
  },
];

describe("bad input fails synth with a specific message and leaves dist/ byte-identical", () => {
  let tree: FileTree;
  beforeAll(async () => {
    ({ tree } = await renderDefaultEstate());
  });

  it.each(BAD_INPUTS)("$name", async ({ file, from, to, message }) => {
    // dist/ as the last good synth left it; the cluster files are imported only by the broken synth.
    const root = sandboxWithDist(tree);
    const before = readTree(root);
    const path = join(root, "clusters", file);
    const original = readFileSync(path, "utf8");
    const broken = original.replace(from, to);
    expect(broken, "the replacement must apply").not.toBe(original);
    writeFileSync(path, broken);

    const error = await synthToDist(root).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EstateError);
    expect((error as Error).message).toContain(message);
    expect(readTree(root)).toEqual(before);
  });

  it("a chart that renders a plaintext Secret is refused", async () => {
    const estate = await loadEstate(REPO);
    const withSecret = (
      app: Parameters<typeof buildCluster>[0],
      cluster: Parameters<typeof buildCluster>[1],
    ) => {
      buildCluster(app, cluster, estate);
      const chart = new Chart(app, "leaky", { disableResourceNameHashes: true });
      addModel(
        Layer.in(chart, "apps"),
        new Secret({
          metadata: { name: "db-password", namespace: "portal" },
          stringData: { password: "hunter2" },
        }),
      );
    };
    await expect(synthesize(estate, REPO, withSecret)).rejects.toThrow(
      /rule no-plaintext-secrets: Secret "portal\/db-password": is a plaintext Secret/,
    );
  });
});

describe("key files the inventory names", () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const read = (content: string) => () => content;

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
    const cosign = readFileSync(join(REPO, "keys/cosign.pub"), "utf8");
    expect(readCaCertificate("clusters/x.ts", "x", "keys/ca.crt", read(cosign))).toMatchObject({
      message: '"keys/ca.crt" is not a PEM X.509 certificate',
    });
    expect(
      readCaCertificate(
        "clusters/x.ts",
        "x",
        "keys/ca.crt",
        read(readFileSync(join(REPO, "keys/org-ca.crt"), "utf8")),
      ),
    ).toBe(readFileSync(join(REPO, "keys/org-ca.crt"), "utf8"));
  });
});
