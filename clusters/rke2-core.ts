import { rke2Defaults } from "../lib/contract/rke2-defaults.ts";
import { defineCluster } from "../lib/inventory/schema.ts";

export default defineCluster({
  name: "rke2-core",
  description:
    "Own datacenter, the vault: sensitive data, GPUs and local LLMs, data lake, PostGIS, identity, logs",
  location: "on-prem",
  provider: "datacenter",
  stages: ["prod"],
  gpuNodes: true,
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
  dns: { domain: "core.waterschap.example" },
  // The private key is only on the cluster (Secret flux-system/sops-age).
  sops: { age: ["age1x6tdm99dqvu0p7fs0xwfeds0sqnkxr20pvcpw97fzvzzyqszecgqvfq7f2"] },
  network: {
    controlPlane: "10.10.1.0/28",
    nodes: "10.10.2.0/24",
    registry: "10.10.3.20/32",
    // Employees on the office network; the cloud cluster arrives through the tunnel (its nodes).
    gatewayClients: ["10.20.0.0/16"],
  },
  hosts: ["identity", "observability", "data"],
  alerting: { endpoint: "alert-webhook", webhook: { path: "/alertmanager" } },
  externalEndpoints: {
    // The operations team's alert intake in the datacenter: the metrics store's Alertmanager posts there.
    "alert-webhook": {
      host: "alerts.waterschap.example",
      cidr: "10.10.4.20/32",
      port: 443,
      kind: "notification",
      maxDataLevel: "high",
    },
    // Rancher on the management cluster: the agent dials out to it (nothing dials in).
    "mgmt-gateway": {
      host: "gateway.mgmt.waterschap.example",
      cidr: "10.12.0.10/32",
      port: 443,
      gatewayOf: "rke2-mgmt",
      kind: "gateway",
      maxDataLevel: "high",
    },
    "azure-openai": {
      host: "waterschap.openai.azure.com",
      cidr: "10.40.8.0/28",
      port: 443,
      kind: "language-model",
      maxDataLevel: "low",
    },
    // The cloud's S3 endpoint for the mirrored training bucket (`mc mirror` speaks S3 only).
    "cloud-object-store": {
      host: "s3.cloud.waterschap.example",
      cidr: "10.40.9.0/28",
      port: 443,
      kind: "object-store",
      maxDataLevel: "low",
    },
    // S3 in the authority's second datacenter: database backups live outside this cluster's failure domain.
    "backup-store": {
      host: "s3.dc2.waterschap.example",
      cidr: "10.30.5.0/28",
      port: 443,
      kind: "object-store",
      maxDataLevel: "high",
    },
  },
  platform: {
    ...rke2Defaults("v1.35.0+rke2r1"),
    // Installed with RKE2 by the datacenter team; the other clusters reach the gateway and PostGIS here.
    loadBalancer: {
      implementation: "metallb",
      pools: [{ name: "datacenter-vips", addresses: ["10.10.0.10-10.10.0.19"] }],
    },
    storageClasses: [
      {
        name: "longhorn",
        provisioner: "driver.longhorn.io",
        accessModes: ["ReadWriteOnce", "ReadWriteMany"],
        default: true,
      },
    ],
    // No internet: NVIDIA's precompiled driver for the GPU nodes' kernel, from the registry mirror.
    gpu: { driver: "precompiled", nodeOs: "ubuntu22.04", kernel: "5.15.0-126-generic" },
  },
});
