import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Chart } from "cdk8s";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import { rke2Defaults } from "../lib/contract/rke2-defaults.ts";
import { validateEstate } from "../lib/estate/validate.ts";
import { HelmComponent } from "../lib/flux/helm-component.ts";
import { Layer } from "../lib/flux/layers.ts";
import type { Estate } from "../lib/inventory/model.ts";
import type { ClusterInput } from "../lib/inventory/schema.ts";
import type { ClusterBuilder } from "../lib/synth/render.ts";

/** A generated estate of `count` clusters, alternating cloud / on-prem / non-prod like the real one. */
export function generatedEstate(root: string, count: number): Estate {
  const sources = Array.from({ length: count }, (_, i) => {
    const name = `bench-${String(i).padStart(3, "0")}`;
    const kind = i % 3;
    const input: ClusterInput = {
      name,
      description: "generated for npm run bench",
      location: kind === 0 ? "cloud" : "on-prem",
      provider: kind === 0 ? "azure" : "datacenter",
      stages: kind === 2 ? ["dev", "test", "acc"] : ["prod"],
      gpuNodes: kind === 1,
      git: { url: "https://gitea.waterschap.example/platform/estate.git", branch: "main" },
      mirrors: {
        charts: "oci://registry.waterschap.example/charts",
        git: "https://gitea.waterschap.example/mirrors",
      },
      images: {
        registry: "registry.waterschap.example",
        cosignPublicKey: "keys/cosign.pub",
        transparencyLog: "none",
      },
      pki: { caCertificate: "keys/org-ca.crt" },
      dns: { domain: `${name}.waterschap.example` },
      sops: { age: ["age1x6tdm99dqvu0p7fs0xwfeds0sqnkxr20pvcpw97fzvzzyqszecgqvfq7f2"] },
      network: {
        controlPlane: `10.${i % 250}.1.0/28`,
        nodes: `10.${i % 250}.2.0/24`,
        registry: "10.10.3.20/32",
        gatewayClients: [kind === 0 ? "0.0.0.0/0" : "10.20.0.0/16"],
      },
      platform: {
        ...rke2Defaults("v1.35.0+rke2r1"),
        loadBalancer:
          kind === 0
            ? { implementation: "azure", pools: [] }
            : { implementation: "metallb", pools: [{ name: "vips", addresses: [`10.${i % 250}.0.0/24`] }] },
        storageClasses: [
          {
            name: "standard",
            provisioner: "driver.longhorn.io",
            accessModes: ["ReadWriteOnce", "ReadWriteMany"],
          },
        ],
        ...(kind === 1
          ? { gpu: { driver: "precompiled" as const, nodeOs: "ubuntu22.04", kernel: "5.15.0-126-generic" } }
          : {}),
      },
      // the first on-prem production cluster is the home of the estate-wide services
      ...(i === 1
        ? {
            hosts: ["identity", "observability", "data"] as const,
            externalEndpoints: {
              "cloud-object-store": {
                host: "s3.bench.waterschap.example",
                cidr: "10.40.9.0/28",
                port: 443,
                kind: "object-store",
                maxDataLevel: "low",
              },
              "backup-store": {
                host: "s3.dc2.waterschap.example",
                cidr: "10.30.5.0/28",
                port: 443,
                kind: "object-store",
                maxDataLevel: "high",
              },
            },
          }
        : {}),
    };
    return { file: `clusters/${name}.ts`, input };
  });
  return validateEstate(sources, [], (path) => readFileSync(join(root, path), "utf8"), PLATFORM_COMPONENTS);
}

/**
 * The real charts plus filler Helm components (three objects each) until a cluster has about
 * `objectsPerCluster` objects, so the large estate exercises the same constructs as the real one.
 */
export function paddedBuilder(objectsPerCluster: number): ClusterBuilder {
  return (app, cluster, estate) => {
    buildCluster(app, cluster, estate);
    const existing = app.node.findAll().filter((c) => c.node.children.length === 0).length;
    const filler = new Chart(app, "bench-filler", { disableResourceNameHashes: true });
    const layer = Layer.in(filler, "apps");
    for (let i = 0; existing + i * 3 < objectsPerCluster; i++) {
      new HelmComponent(layer, cluster, estate, {
        name: `filler-${i}`,
        chart: "filler",
        version: "1.0.0",
        namespace: `filler-${i}`,
        ownNamespace: { holds: "filler", podSecurity: "restricted" },
        layer: "apps",
        values: () => ({
          replicas: 2,
          image: { repository: `${cluster.images.registry}/filler`, tag: "1.0.0" },
        }),
      });
    }
  };
}
