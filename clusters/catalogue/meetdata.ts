import { defineWorkload } from "../../lib/inventory/workload-schema.ts";
import { medium, registry } from "./shared.ts";

/** The measurement network: gauges, pumps, sluices. On-prem. */
export default [
  defineWorkload({
    name: "meetdata-api",
    description: "Internal API over the measurement network",
    group: "meetdata",
    image: `${registry}/apps/meetdata-api`,
    dataLevel: "medium",
    port: 8080,
    resources: medium,
    replicas: 2,
    health: { path: "/healthz" },
    // The `meetdata` database: the PostGIS master in prod, a synthetic one per non-prod environment.
    flows: [{ to: "postgis" }],
    routes: [{ host: "meetdata", path: "/api" }],
    deploy: {
      dev: { cluster: "rke2-nonprod", version: "3.2.0" },
      test: { cluster: "rke2-nonprod", version: "3.2.0" },
      acc: { cluster: "rke2-nonprod", version: "3.1.4" },
      prod: { cluster: "rke2-core", version: "3.1.4" },
    },
  }),
  defineWorkload({
    name: "meetdata-ingest",
    description: "Ingests SCADA telemetry; carries critical-infrastructure details, so data-level high",
    group: "meetdata",
    image: `${registry}/apps/meetdata-ingest`,
    dataLevel: "high",
    port: 9090,
    resources: medium,
    flows: [{ to: "meetdata-api", port: 8080 }],
    rollout: { prod: "paranoid" },
    deploy: {
      dev: { cluster: "rke2-nonprod", version: "0.9.2" },
      test: { cluster: "rke2-nonprod", version: "0.9.2" },
      acc: { cluster: "rke2-nonprod", version: "0.9.2" },
      prod: {
        cluster: "rke2-core",
        version: "sha256:4f1c9a8e2b7d3c6a5e0f9b8d7c6a5e4f3b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d",
      },
    },
  }),
];
