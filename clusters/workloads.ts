import { defineWorkload } from "../lib/inventory/workload-schema.ts";

const registry = "registry.waterschap.example";
const small = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/** The workload catalogue: what runs where, per OTAP environment, with its version pin. */
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
    fromGateway: true,
    flows: [{ to: "portal-api" }],
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
    deploy: {
      dev: { cluster: "rke2-nonprod", version: "1.8.0" },
      test: { cluster: "rke2-nonprod", version: "1.8.0" },
      acc: { cluster: "rke2-nonprod", version: "1.7.3" },
      prod: { cluster: "rke2-cloud", version: "1.7.3" },
    },
  }),
  defineWorkload({
    name: "meetdata-api",
    description: "Internal API over the measurement network (gauges, pumps, sluices)",
    group: "meetdata",
    image: `${registry}/apps/meetdata-api`,
    dataLevel: "medium",
    port: 8080,
    resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    replicas: 2,
    fromGateway: true,
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
    resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    flows: [{ to: "meetdata-api", port: 8080 }],
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
