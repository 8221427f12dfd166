import { rke2Defaults } from "../lib/contract/rke2-defaults.ts";
import { defineCluster } from "../lib/inventory/schema.ts";

export default defineCluster({
  name: "rke2-mgmt",
  description:
    "Management cluster in the datacenter's DMZ: Rancher only, managing the other clusters through agents that dial out to it",
  location: "on-prem",
  provider: "datacenter",
  stages: ["prod"],
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
  dns: { domain: "mgmt.waterschap.example" },
  // The private key is only on the cluster (Secret flux-system/sops-age).
  sops: { age: ["age1ng2suma4njgtf35rx4r5r6zec9dp0zmrnjgedq084avzrnme649s92ywsy"] },
  network: {
    controlPlane: "10.12.1.0/28",
    nodes: "10.12.2.0/24",
    registry: "10.10.3.20/32",
    // Platform engineers on the office network, and the managed clusters' agents (their nodes; the
    // cloud's through the tunnel).
    gatewayClients: ["10.20.0.0/16", "10.10.2.0/24", "10.11.2.0/24", "10.40.2.0/24"],
  },
  hosts: ["management"],
  externalEndpoints: {
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
  platform: {
    ...rke2Defaults("v1.35.0+rke2r1"),
    loadBalancer: {
      implementation: "metallb",
      pools: [{ name: "dmz-vips", addresses: ["10.12.0.10-10.12.0.19"] }],
    },
    storageClasses: [
      {
        name: "longhorn",
        provisioner: "driver.longhorn.io",
        accessModes: ["ReadWriteOnce"],
        default: true,
      },
    ],
  },
});
