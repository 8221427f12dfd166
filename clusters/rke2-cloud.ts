import { defineCluster } from "../lib/inventory/schema.ts";

export default defineCluster({
  name: "rke2-cloud",
  description: "Azure: public Kong gateway, public web apps, cloud AI agents; stateless, autoscaling nodes",
  location: "cloud",
  provider: "azure",
  stages: ["prod"],
  gpuNodes: false,
  git: { url: "https://gitea.waterschap.example/platform/estate.git", branch: "main" },
  images: {
    registry: "registry.waterschap.example",
    cosignPublicKey: "keys/cosign.pub",
    transparencyLog: "none",
  },
  dns: { domain: "cloud.waterschap.example" },
});
