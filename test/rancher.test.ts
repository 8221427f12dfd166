import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import rke2Mgmt from "../clusters/rke2-mgmt.ts";
import { type ClusterSource, validateEstate } from "../lib/estate/validate.ts";
import type { Estate } from "../lib/inventory/model.ts";
import type { ClusterInput } from "../lib/inventory/schema.ts";
import { writeClientSecrets } from "../lib/secrets/client.ts";
import { readEncryptedSecrets } from "../lib/secrets/files.ts";
import { writeSecret } from "../lib/secrets/write.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { validateHydrated } from "../lib/validate/hydrated.ts";
import { sandbox } from "./helpers.ts";

const MGMT_GATEWAY = {
  host: "gateway.mgmt.waterschap.example",
  cidr: "10.12.0.10/32",
  port: 443,
  gatewayOf: "rke2-mgmt",
  kind: "gateway",
  maxDataLevel: "high",
} as const;

/**
 * The fixture estate with Rancher: its clusters as their files declare them, each given the
 * endpoint of the management cluster's gateway, plus the management cluster of clusters/rke2-mgmt.ts;
 * the Secrets Rancher needs written as `npm run secrets` writes them.
 */
async function fixtureWithRancher(root: string): Promise<Estate> {
  const index = await import(pathToFileURL(join(root, "clusters/index.ts")).href);
  const load = async (name: string) =>
    (await import(pathToFileURL(join(root, "clusters", name)).href)).default;
  const clusters: ClusterSource[] = [];
  for (const name of index.clusterFiles as string[]) {
    const input = structuredClone((await load(name)) as ClusterInput);
    clusters.push({
      file: `clusters/${name}`,
      input: { ...input, externalEndpoints: { ...input.externalEndpoints, "mgmt-gateway": MGMT_GATEWAY } },
    });
  }
  clusters.push({ file: "clusters/rke2-mgmt.ts", input: rke2Mgmt });
  const catalogue: ClusterSource[] = [];
  for (const name of index.catalogueFiles as string[])
    catalogue.push({ file: `clusters/${name}`, input: await load(name) });
  const estate = validateEstate(
    clusters,
    catalogue,
    (path) => readFileSync(join(root, path), "utf8"),
    PLATFORM_COMPONENTS,
  );
  const mgmt = estate.clusters.find((c) => c.name === "rke2-mgmt")!;
  await writeClientSecrets(root, { ...estate, secrets: [] }, "otel-agent-rke2-mgmt");
  await writeClientSecrets(root, { ...estate, secrets: [] }, "rancher");
  await writeSecret(
    root,
    mgmt,
    { namespace: "cattle-system", name: "rancher-bootstrap" },
    { data: { password: "x".repeat(32) } },
  );
  for (const cluster of estate.clusters.filter((c) => c !== mgmt))
    await writeSecret(
      root,
      cluster,
      { namespace: "cattle-system", name: "cattle-credentials" },
      {
        data: {
          url: "https://rancher.mgmt.waterschap.example",
          token: "t".repeat(54),
          namespace: "c-m-abcdefgh",
        },
      },
    );
  return { ...estate, secrets: readEncryptedSecrets(root, estate.clusters) };
}

/** A copy of the tree with one rendered object changed (parsed, edited, written back). */
function editObject(tree: FileTree, path: string, change: (object: any) => unknown): FileTree {
  const edited = new Map(tree);
  const object = parse(tree.get(path) as string);
  edited.set(path, stringify(change(object) ?? object));
  return edited;
}

describe("Rancher on the fixture estate", () => {
  let root: string;
  let estate: Estate;
  let tree: FileTree;
  beforeAll(async () => {
    root = sandbox();
    estate = await fixtureWithRancher(root);
    tree = await synthesize(estate, root, buildCluster);
  });

  it("the server, every agent and what Rancher installs are admitted, mirrored, connected and registered", async () => {
    const { problems, hydrated } = await validateHydrated(root, tree, estate);
    expect(problems).toEqual([]);
    const webhooks = hydrated.objects.filter(
      (o) => o.manifest.kind === "Deployment" && o.manifest.metadata?.name === "rancher-webhook",
    );
    // Rancher installs its webhook on every cluster it manages, the management home included.
    expect(webhooks.map((o) => o.cluster).sort()).toEqual(estate.clusters.map((c) => c.name).sort());
    expect((webhooks[0]?.manifest.spec as any)?.template.spec.containers[0].image).toBe(
      "registry.waterschap.example/docker.io/rancher/rancher-webhook:v0.10.9",
    );
  });

  it("a defect in any part of it fails validate, each named", async () => {
    const cloud = "dist/clusters/rke2-cloud";
    let broken = editObject(
      tree,
      "dist/clusters/rke2-mgmt/apps/cattle-system/httproute-rancher.yaml",
      (route) => {
        delete route.metadata.annotations;
      },
    );
    broken = editObject(
      broken,
      "dist/clusters/rke2-core/controllers/cattle-system/deployment-cattle-cluster-agent.yaml",
      (d) => {
        const env = d.spec.template.spec.containers[0].env;
        env.find((e: any) => e.name === "CATTLE_CLUSTER_REGISTRY").value = "";
        env.find((e: any) => e.name === "CATTLE_CA_CHECKSUM").value = "0".repeat(64);
      },
    );
    broken = editObject(
      broken,
      "dist/clusters/rke2-mgmt/controllers/cattle-system/helmrelease-rancher.yaml",
      (hr) => {
        hr.spec.values.features = "continuous-delivery=false";
      },
    );
    const removed = [
      `${cloud}/configs/kyverno/policyexception-rancher-webhook.yaml`,
      "dist/clusters/rke2-core/configs/mutatingpolicy-default-pod-security-level.yaml",
    ];
    broken = new Map([...broken].filter(([path]) => !removed.includes(path)));
    const { problems } = await validateHydrated(root, broken, estate);
    const text = problems.join("\n");
    expect(text).toMatch(
      /HTTPRoute cattle-system\/rancher: serves rancher\.mgmt\.waterschap\.example to .* without authentication/,
    );
    expect(text).toMatch(
      /cluster "rke2-core": Deployment cattle-system\/rancher-webhook: image rancher\/rancher-webhook:v0\.10\.9 is not pulled through registry\.waterschap\.example/,
    );
    expect(text).toContain(
      'cluster "rke2-core": cattle-system/cattle-cluster-agent: CATTLE_CA_CHECKSUM does not match the cacerts rke2-mgmt serves',
    );
    expect(text).toContain("CATTLE_FEATURES does not switch Fleet off (fleet=false)");
    // and with Turtles back on, the server would install a chart the proof does not render
    expect(text).toContain(
      "cannot prove what Rancher installs: rancher-turtles (feature turtles) would be installed, and the proof does not render it",
    );
    expect(text).toMatch(
      /cluster "rke2-cloud": cattle-system\/rancher-webhook \(Deployment\): ValidatingPolicy require-requests-limits/,
    );
    // without the default level, the namespace Rancher's agent creates is refused in prod
    expect(text).toMatch(
      /cluster "rke2-core": \/cattle-impersonation-system \(Namespace\): ValidatingPolicy require-pod-security-level/,
    );
  });
});
