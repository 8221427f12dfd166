import { defineWorkload } from "../../lib/inventory/workload-schema.ts";
import { registry, small } from "./shared.ts";

/** The public portal: residents look up water levels. Cloud in prod, stateless, autoscaling. */
export default [
  defineWorkload({
    name: "waterpeil-portal",
    description: "Public water-level portal for residents",
    group: "portal",
    image: `${registry}/apps/waterpeil-portal`,
    dataLevel: "low",
    port: 8080,
    resources: small,
    replicas: 2,
    autoscale: { min: 2, max: 10, cpuPercent: 70 },
    health: { path: "/healthz" },
    routes: [{ host: "waterpeil", path: "/" }],
    // Seed: UI -API calls-> Agents (the assistant runs on the cloud cluster in prod only).
    flows: [{ to: "portal-api" }, { to: "cloud-agents", stages: ["prod"] }],
    rollout: { prod: "cautious" },
    deploy: {
      dev: { cluster: "rke2-nonprod", version: "2.5.0-rc.1" },
      test: { cluster: "rke2-nonprod", version: "2.4.1" },
      acc: { cluster: "rke2-nonprod", version: "2.4.1" },
      prod: { cluster: "rke2-cloud", version: "2.4.1" },
    },
  }),
  defineWorkload({
    name: "portal-api",
    description: "Backend of the public portal: published, anonymised measurements",
    group: "portal",
    image: `${registry}/apps/portal-api`,
    dataLevel: "low",
    port: 8080,
    resources: small,
    replicas: 2,
    health: { path: "/healthz" },
    // Reads the anonymised measurements the cloud database subscribes to (prod only).
    flows: [{ to: "portal-db" }],
    deploy: {
      dev: { cluster: "rke2-nonprod", version: "1.8.0" },
      test: { cluster: "rke2-nonprod", version: "1.8.0" },
      acc: { cluster: "rke2-nonprod", version: "1.7.3" },
      prod: { cluster: "rke2-cloud", version: "1.7.3" },
    },
  }),
];
