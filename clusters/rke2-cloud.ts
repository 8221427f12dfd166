import { rke2Defaults } from "../lib/contract/rke2-defaults.ts";
import { defineCluster } from "../lib/inventory/schema.ts";

export default defineCluster({
  name: "rke2-cloud",
  description: "Azure: public Kong gateway, public web apps, cloud AI agents; stateless, autoscaling nodes",
  location: "cloud",
  provider: "azure",
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
  // Its certificates (the portal database's) are verified only inside it: a CA of its own, so the
  // organisation's CA key never comes to Azure.
  pki: { caCertificate: "keys/org-ca.crt", clusterCaCertificate: "keys/rke2-cloud-ca.crt" },
  dns: { domain: "cloud.waterschap.example" },
  // The private key is only on the cluster (Secret flux-system/sops-age).
  sops: { age: ["age1l5u4akctpwhnvslwl6mv6dta5pdm4vkvls9f3s9qjekx26hmafqsnjmmxg"] },
  network: {
    controlPlane: "10.40.1.0/28",
    nodes: "10.40.2.0/24",
    // Images come from the datacenter's registry, through the tunnel.
    registry: "10.10.3.20/32",
    gatewayClients: ["0.0.0.0/0"],
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
    "azure-openai": {
      host: "waterschap.openai.azure.com",
      cidr: "10.40.8.0/28",
      port: 443,
      kind: "language-model",
      maxDataLevel: "low",
    },
    // The PostGIS master's tunnel Service, which the portal database subscribes to (in the datacenter).
    "postgis-publisher": {
      host: "postgis.core.waterschap.example",
      cidr: "10.10.0.11/32",
      port: 5432,
      kind: "database",
      maxDataLevel: "high",
    },
    // Azure Resource Manager's private endpoint (Private Link): the autoscaler resizes the scale sets.
    "azure-resource-manager": {
      host: "management.azure.com",
      cidr: "10.40.10.0/29",
      port: 443,
      kind: "cloud-api",
      maxDataLevel: "low",
    },
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
    // The Azure cloud provider gives LoadBalancer Services their public address.
    loadBalancer: { implementation: "azure", pools: [] },
    storageClasses: [
      {
        name: "managed-csi",
        provisioner: "disk.csi.azure.com",
        accessModes: ["ReadWriteOnce"],
        default: true,
      },
      {
        name: "azurefile-csi",
        provisioner: "file.csi.azure.com",
        accessModes: ["ReadWriteOnce", "ReadWriteMany"],
      },
    ],
  },
  // The worker scale sets the cluster-autoscaler resizes (charts/components/cluster-autoscaler.ts). Two nodes at least:
  // every workload runs two replicas spread over nodes, so one node can always be drained.
  autoscaling: {
    provider: "azure-vmss",
    subscription: "3f6a1c2e-8b4d-4e7a-9c1f-2d5b8e6a0c34",
    resourceGroup: "rg-waterschap-rke2-cloud",
    identity: "9b2e4d6f-1a3c-4e5b-8d7f-0c2a4e6b8d1f",
    pools: [{ name: "vmss-rke2-cloud-workers", min: 2, max: 8 }],
  },
});
