import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { loadEstate } from "../lib/estate/load.ts";
import { writeClientSecrets } from "../lib/secrets/client.ts";
import { validateDist } from "../lib/validate/index.ts";
import { main as synthMain } from "../main.ts";
import { runMain, sandbox } from "./helpers.ts";

it("a fourth cluster is one new file, one line in clusters/index.ts and its agent's client, and renders a valid Flux tree", async () => {
  const root = sandbox();
  writeFileSync(
    join(root, "clusters/rke2-edge.ts"),
    readFileSync(join(root, "clusters/rke2-cloud.ts"), "utf8")
      .replace('name: "rke2-cloud"', 'name: "rke2-edge"')
      .replace('location: "cloud"', 'location: "on-prem"')
      .replace('provider: "azure"', 'provider: "datacenter"')
      .replace("cloud.waterschap.example", "edge.waterschap.example")
      // A datacenter cluster has no Azure scale sets to autoscale.
      .replace(/\n {2}\/\/ The worker scale sets[\s\S]*?\n {2}\},\n/, "\n")
      .replace(
        'loadBalancer: { implementation: "azure", pools: [] }',
        'loadBalancer: { implementation: "metallb", pools: [{ name: "edge", addresses: ["10.12.0.10-10.12.0.19"] }] }',
      ),
  );
  const index = join(root, "clusters/index.ts");
  writeFileSync(
    index,
    readFileSync(index, "utf8").replace('"rke2-nonprod.ts"]', '"rke2-nonprod.ts", "rke2-edge.ts"]'),
  );

  // Its telemetry agent ships through the core gateway with a Keycloak client of its own.
  const files = await writeClientSecrets(
    root,
    await loadEstate(root, PLATFORM_COMPONENTS),
    "otel-agent-rke2-edge",
  );
  expect(files).toContain("secrets/rke2-edge/telemetry/oidc-client-otel-agent-rke2-edge.sops.yaml");

  const synth = await runMain(synthMain, [], root);
  expect(synth.stderr).toBe("");
  expect(synth.stdout).toContain("synth: 4 clusters");
  const report = await validateDist(root, PLATFORM_COMPONENTS);
  expect(report.problems).toEqual([]);
  expect(report.graphs.map((g) => g.cluster)).toContain("rke2-edge");
  const instance = readFileSync(join(root, "dist/clusters/rke2-edge/fluxinstance-flux.yaml"), "utf8");
  expect(instance).toContain("path: dist/clusters/rke2-edge");
  // on-prem: CloudNativePG comes with it, without touching charts/ or lib/
  expect(
    readFileSync(join(root, "dist/clusters/rke2-edge/controllers/cnpg-system/kustomization.yaml"), "utf8"),
  ).toContain("helmrelease-cloudnative-pg.yaml");
});
