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
  dns: { domain: "nonprod.waterschap.example" },
  developerGroups: ["developers"],
});
