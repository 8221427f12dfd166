import { rke2Defaults } from "../lib/contract/rke2-defaults.ts";
import { defineCluster } from "../lib/inventory/schema.ts";

export default defineCluster({
  name: "rke2-nonprod",
  description: "Own datacenter: dev, test and acc as isolated namespaces, synthetic or anonymised data",
  location: "on-prem",
  provider: "datacenter",
  stages: ["dev", "test", "acc"],
  gpuNodes: false,
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
  dns: { domain: "nonprod.waterschap.example" },
  // The private key is only on the cluster (Secret flux-system/sops-age).
  sops: { age: ["age1yxx6pegyzyzmzqy6fys4m3q2tj9dav2d586ugzd8jjkj5w3d9avsatuv3r"] },
  network: {
    controlPlane: "10.11.1.0/28",
    nodes: "10.11.2.0/24",
    registry: "10.10.3.20/32",
    gatewayClients: ["10.20.0.0/16"],
  },
  externalEndpoints: {
    // Rancher on the management cluster: the agent dials out to it (nothing dials in).
    "mgmt-gateway": {
      host: "gateway.mgmt.waterschap.example",
      cidr: "10.12.0.10/32",
      port: 443,
      gatewayOf: "rke2-mgmt",
      kind: "gateway",
      maxDataLevel: "high",
    },
    // Logs and traces go to the observability home's gateway.
    "core-gateway": {
      host: "gateway.core.waterschap.example",
      cidr: "10.10.0.10/32",
      port: 443,
      gatewayOf: "rke2-core",
      kind: "gateway",
      maxDataLevel: "high",
    },
  },
  developerGroups: ["developers"],
  platform: {
    ...rke2Defaults("v1.35.0+rke2r1"),
    loadBalancer: {
      implementation: "metallb",
      pools: [{ name: "nonprod-vips", addresses: ["10.11.0.10-10.11.0.19"] }],
    },
    storageClasses: [
      {
        name: "longhorn",
        provisioner: "driver.longhorn.io",
        accessModes: ["ReadWriteOnce", "ReadWriteMany"],
        default: true,
      },
    ],
  },
});
