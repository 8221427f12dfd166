import { defineWorkload } from "../../lib/inventory/workload-schema.ts";
import { medium, registry } from "./shared.ts";

/** Drone image processing on the datacenter's GPUs, and the connectors to legacy and SCADA systems. */
export default [
  defineWorkload({
    name: "webodm",
    description: "WebODM: drone survey processing (dikes, waterways); job data stays on-prem",
    group: "drone",
    image: `${registry}/docker.io/webodm/webodm_webapp`,
    dataLevel: "medium",
    port: 8000,
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } },
    storage: { size: "500Gi", path: "/webodm/app/media" },
    health: { path: "/", startupSeconds: 300 },
    // Its job database on the PostGIS master, its task broker, and the GPU worker.
    flows: [{ to: "nodeodx" }, { to: "postgis" }, { to: "webodm-broker" }],
    // Heavy uploads arrive at the public gateway and are forwarded through the tunnel to this one,
    // from the survey teams' upload tool, signed in as themselves (device sign-in, client drone-upload).
    routes: [
      {
        host: "drone",
        path: "/",
        publishVia: "rke2-cloud",
        jwt: { publicClients: ["drone-upload"] },
        returns: {
          level: "low",
          why: "the public side takes uploads and answers with upload receipts and job status; survey results are read on the internal network only",
        },
      },
    ],
    deploy: {
      prod: {
        cluster: "rke2-core",
        version: "sha256:0b1e3c5d7f9a2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e",
      },
    },
  }),
  defineWorkload({
    name: "webodm-broker",
    description: "Redis: WebODM's task broker (Celery); queue state only, rebuilt on restart",
    group: "drone",
    image: `${registry}/docker.io/library/redis`,
    dataLevel: "medium",
    port: 6379,
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    args: ["--save", "", "--appendonly", "no"],
    deploy: { prod: { cluster: "rke2-core", version: "7.4.6" } },
  }),
  defineWorkload({
    name: "nodeodx",
    description: "NodeODX GPU worker for WebODM",
    group: "drone",
    image: `${registry}/docker.io/webodm/nodeodx`,
    dataLevel: "medium",
    port: 3000,
    resources: { requests: { cpu: "4", memory: "16Gi" }, limits: { cpu: "8", memory: "32Gi" } },
    gpu: 1,
    health: { path: "/info", startupSeconds: 120 },
    deploy: {
      // webodm/nodeodx:gpu has no version tags: pinned by digest.
      prod: {
        cluster: "rke2-core",
        version: "sha256:7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f",
      },
    },
  }),
  defineWorkload({
    name: "legacy-connectors",
    description:
      "MCP server over the legacy and SCADA systems; only internal agents and JWT-carrying callers",
    group: "legacy",
    image: `${registry}/apps/legacy-connectors`,
    dataLevel: "high",
    port: 8080,
    resources: medium,
    replicas: 2,
    health: { path: "/healthz" },
    routes: [
      {
        host: "mcp",
        path: "/mcp",
        jwt: { callers: ["cloud-agents"] },
        returns: {
          level: "low",
          why: "the cloud agents' Keycloak client may call only the public tools (published water levels and gauge readings); the connector refuses every other tool to it",
        },
      },
    ],
    rollout: { prod: "paranoid" },
    deploy: { prod: { cluster: "rke2-core", version: "2.0.3" } },
  }),
];
