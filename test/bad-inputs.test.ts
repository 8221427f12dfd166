import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Chart } from "cdk8s";
import { Secret } from "kubernetes-models/v1/Secret";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCluster } from "../charts/index.ts";
import { EstateError } from "../lib/errors.ts";
import { Layer } from "../lib/flux/layers.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import { synthToDist } from "../lib/synth/run.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { readTree } from "../lib/validate/dist-tree.ts";
import { renderFixtureEstate, sandboxWithDist } from "./helpers.ts";

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
      'clusters/catalogue/meetdata.ts: workload "Meetdata_API": field "name": must be a DNS-1035 label',
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
  {
    name: "a workload name the API server refuses for a Service (not a DNS-1035 label)",
    file: "catalogue/meetdata.ts",
    from: 'name: "meetdata-ingest"',
    to: 'name: "9-meetdata-ingest"',
    message: 'workload "9-meetdata-ingest": field "name": must be a DNS-1035 label',
  },
  {
    name: "a generated namespace longer than 63 characters",
    file: "catalogue/meetdata.ts",
    from: 'group: "meetdata",',
    to: `group: "${"m".repeat(60)}",`,
    message: `field "group": rule namespaces: gives namespace "dev-${"m".repeat(60)}" in dev, 64 characters; a namespace has at most 63`,
  },
  {
    name: "a generated CronJob name longer than 52 characters",
    file: "catalogue/ai.ts",
    from: /"vllm"/g,
    to: `"vllm-${"x".repeat(40)}"`,
    message: `rule api-server-rules: CronJob "ai/vllm-${"x".repeat(40)}-model-sync": metadata.name`,
  },
  {
    name: "a config key the API server refuses",
    file: "catalogue/ai.ts",
    from: 'config: { "routing.json": routingConfig() }',
    to: 'config: { "..": routingConfig() }',
    message: 'workload "druppie-router": field "config...": key ".." must be a valid key',
  },
  {
    name: "an autoscaler whose minimum exceeds its maximum",
    file: "catalogue/portal.ts",
    from: "autoscale: { min: 2, max: 10, cpuPercent: 70 }",
    to: "autoscale: { min: 12, max: 10, cpuPercent: 70 }",
    message: 'workload "waterpeil-portal": field "autoscale.min": min must not exceed max',
  },
  {
    name: "memory in thousandths of a byte",
    file: "catalogue/shared.ts",
    from: 'limits: { cpu: "1", memory: "512Mi" }',
    to: 'limits: { cpu: "1", memory: "512m" }',
    message: 'field "resources.limits.memory": must be a byte quantity like 512Mi or 2Gi',
  },
  {
    name: "an image that already carries a tag",
    file: "catalogue/portal.ts",
    from: "image: `${registry}/apps/portal-api`",
    to: "image: `${registry}/apps/portal-api:1.8.0`",
    message: 'workload "portal-api": field "image": must not carry a tag or digest',
  },
  {
    name: "a CIDR with prefix 33",
    file: "rke2-cloud.ts",
    from: /nodes: "([\d.]+)\/24"/,
    to: 'nodes: "$1/33"',
    message: 'clusters/rke2-cloud.ts: cluster "rke2-cloud": field "network.nodes": must be an IPv4 CIDR',
  },
  {
    name: "a workload group named after a platform namespace",
    file: "catalogue/meetdata.ts",
    from: 'group: "meetdata",',
    to: 'group: "kong",',
    message:
      'cluster "rke2-core": workload "meetdata-api": field "group": rule namespaces: gives namespace "kong" on rke2-core, which the platform owns',
  },
  {
    name: "two routes with the same host and path on one gateway",
    file: "catalogue/operations.ts",
    from: 'host: "mcp",\n        path: "/mcp",',
    to: 'host: "meetdata",\n        path: "/api",',
    message: "rule unique-routes: meetdata/api on rke2-core's gateway is already routed to",
  },
  {
    name: "a route on a host the platform uses",
    file: "catalogue/operations.ts",
    from: 'host: "mcp",\n        path: "/mcp",',
    to: 'host: "sso",\n        path: "/mcp",',
    message: 'field "routes.0.host": rule unique-routes: "sso" is reserved for the platform',
  },
  {
    name: "a data-level=high workload published on the cloud gateway",
    file: "catalogue/operations.ts",
    from: 'dataLevel: "medium",',
    to: 'dataLevel: "high",',
    message: "rule route-forward: data-level=high may not be published on rke2-cloud's public gateway",
  },
  {
    name: "a medium workload calling the external model without anonymising",
    file: "catalogue/ai.ts",
    from: "anonymises: true,",
    to: "",
    message:
      'workload "druppie-router": field "egress": rule external-egress: data-level=medium may reach the external model (azure-openai) only through a workload that anonymises first',
  },
  {
    name: "a password in env",
    file: "catalogue/ai.ts",
    from: 'env: { HF_HUB_OFFLINE: "1",',
    to: 'env: { DB_PASSWORD: "hunter22", HF_HUB_OFFLINE: "1",',
    message:
      'workload "vllm": field "env.DB_PASSWORD": rule no-credentials-in-git: is named like a credential and holds a value',
  },
  {
    name: "a password in a config file",
    file: "catalogue/ai.ts",
    from: 'config: { "routing.json": routingConfig() }',
    to: 'config: { "routing.json": routingConfig(), "db.ini": "[db]\\npassword = hunter22\\n" }',
    message: 'field "config.db.ini": rule no-credentials-in-git: holds a credential assigned in plain text',
  },
  {
    name: "an API key in args",
    file: "catalogue/ai.ts",
    from: "args: [",
    to: 'args: ["--api-key=sk-live-0123456789",',
    message: 'workload "vllm": field "args.0": rule no-credentials-in-git',
  },
  {
    name: "a private key pasted into the inventory",
    file: "rke2-core.ts",
    from: "description:",
    to: 'notes: "-----BEGIN PRIVATE KEY-----",\n  description:',
    message: 'clusters/rke2-core.ts: field "notes": rule no-private-keys: holds a private key',
  },
  {
    name: "a platform service claimed by a non-prod cluster: the error is in that cluster's file",
    file: "rke2-nonprod.ts",
    from: "gpuNodes: false,",
    to: 'gpuNodes: false,\n  hosts: ["identity"],',
    message: 'clusters/rke2-nonprod.ts: cluster "rke2-nonprod": field "hosts": rule platform-homes',
  },
];

describe("bad input fails synth with a specific message and leaves dist/ byte-identical", () => {
  let tree: FileTree;
  beforeAll(async () => {
    ({ tree } = await renderFixtureEstate());
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

    const error = await synthToDist(root, buildCluster).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EstateError);
    expect((error as Error).message).toContain(message);
    expect(readTree(root)).toEqual(before);
  });

  it("a chart that renders a plaintext Secret is refused", async () => {
    const { estate, root } = await renderFixtureEstate();
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
    await expect(synthesize(estate, root, withSecret)).rejects.toThrow(
      /rule no-plaintext-secrets: Secret "portal\/db-password": is a plaintext Secret/,
    );
  });
});
