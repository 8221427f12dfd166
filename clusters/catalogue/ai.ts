import { routingConfig } from "../../lib/ai/routing-table.ts";
import { defineWorkload } from "../../lib/inventory/workload-schema.ts";
import { medium, registry } from "./shared.ts";

/**
 * AI: local LLMs on the datacenter's GPUs for everything sensitive, Azure OpenAI for the rest, and the
 * Druppie router deciding per prompt (lib/ai/routing-table.ts).
 */
export default [
  defineWorkload({
    name: "vllm",
    description: "vLLM OpenAI-compatible server for the local models (Llama, Mistral)",
    group: "ai",
    image: `${registry}/docker.io/vllm/vllm-openai`,
    dataLevel: "high",
    port: 8000,
    resources: { requests: { cpu: "4", memory: "32Gi" }, limits: { cpu: "8", memory: "48Gi" } },
    gpu: 1,
    // Model files come from the datacenter's object store onto this volume; nothing is pulled from the internet.
    models: { volumeSize: "200Gi", sharedMemory: "16Gi" },
    env: { HF_HUB_OFFLINE: "1", TRANSFORMERS_OFFLINE: "1", VLLM_NO_USAGE_STATS: "1" },
    args: [
      "--model",
      "/models/mistral-small-24b-instruct",
      "--served-model-name",
      "mistral-small",
      "--port",
      "8000",
    ],
    health: { path: "/health", startupSeconds: 1200 },
    rollout: { prod: "paranoid" },
    deploy: { prod: { cluster: "rke2-core", version: "v0.11.2" } },
  }),
  defineWorkload({
    name: "druppie-router",
    description: "Druppie router: classifies prompts and sends them to the internal or external model",
    group: "ai",
    image: `${registry}/apps/druppie-router`,
    dataLevel: "medium",
    port: 8080,
    resources: medium,
    replicas: 2,
    health: { path: "/healthz" },
    config: { "routing.json": routingConfig() },
    env: {
      ROUTING_TABLE: "/etc/druppie-router/routing.json",
      INTERNAL_MODEL_URL: "http://vllm.ai.svc.cluster.local:8000/v1",
      EXTERNAL_MODEL_URL: "https://waterschap.openai.azure.com/openai/v1",
    },
    // Seed: Int_UI -Router-> Int_Agents (sensitive prompts), and the external model for the rest.
    flows: [{ to: "vllm" }, { to: "ollama" }, { to: "internal-agents" }],
    // Medium prompts are anonymised before they may leave (lib/ai/routing-table.ts).
    anonymises: true,
    egress: ["azure-openai"],
    routes: [{ host: "druppie", path: "/" }],
    deploy: { prod: { cluster: "rke2-core", version: "1.3.0" } },
  }),
  defineWorkload({
    name: "internal-agents",
    description: "Internal AI agents: local models only, MCP to the legacy connectors",
    group: "ai",
    image: `${registry}/apps/internal-agents`,
    dataLevel: "high",
    port: 8080,
    resources: medium,
    health: { path: "/healthz" },
    // Seed: Int_Agents -MCP (Direct)-> Legacy and -MCP (Analyze)-> GPU (WebODM's API).
    flows: [{ to: "vllm" }, { to: "ollama" }, { to: "legacy-connectors" }, { to: "webodm" }],
    deploy: { prod: { cluster: "rke2-core", version: "0.7.1" } },
  }),
  defineWorkload({
    name: "cloud-agents",
    description: "Cloud AI agents for public questions: Azure OpenAI only, MCP on-prem through the gateway",
    group: "agents",
    image: `${registry}/apps/cloud-agents`,
    dataLevel: "low",
    port: 8080,
    resources: medium,
    replicas: 2,
    health: { path: "/healthz" },
    egress: ["azure-openai", "core-gateway"],
    routes: [{ host: "assistent", path: "/" }],
    deploy: { prod: { cluster: "rke2-cloud", version: "0.7.1" } },
  }),
];
