import { toObjectStore } from "../../lib/connections/platform-peers.ts";
import { mirror } from "../../lib/images.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { pods } from "../../lib/inventory/connection.ts";
import type { Cluster } from "../../lib/inventory/model.ts";
import { MC_IMAGE } from "../../lib/k8s/mc-cron-job.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";
import { homeOf, OLLAMA_NAMESPACE, runsOllama } from "../../lib/platform.ts";
import { GPU_NODE_LABEL, GPU_RESOURCE } from "../../lib/workloads/app-workload.ts";

/** The Secret (SOPS) with the object store URL of the read-only `models-reader` user, as `url`. */
export const MODELS_READER_SECRET = "models-reader";

/**
 * Ollama on the datacenter's GPU nodes. It never pulls models from the internet: `models.pull` stays
 * empty, and before Ollama starts an init container copies the models from the datacenter's object
 * store (bucket `models`, prefix `ollama/`, in Ollama's own `models/` layout) onto its volume.
 * vLLM and the agents are catalogue workloads (clusters/catalogue/ai.ts).
 */
export const ollama: PlatformComponent = {
  name: "ollama",
  chart: "ollama",
  namespace: OLLAMA_NAMESPACE,
  ownNamespace: {
    holds: "Ollama",
    podSecurity: "baseline",
    why: "the upstream image runs as root and writes its state under /root/.ollama",
  },
  layer: "apps",
  runsOn: runsOllama,
  keepsData: true,
  // On the data home the seed-models init container reads the models bucket of its object store.
  connections: (cluster, estate) =>
    cluster === homeOf(estate, "data")
      ? [
          toObjectStore(
            "ollama",
            pods(OLLAMA_NAMESPACE, { "app.kubernetes.io/name": "ollama" }, "ollama"),
            "Ollama's init container copies the models from the models bucket",
          ),
        ]
      : [],
  values: (cluster) => ({
    image: { repository: mirror(cluster, "docker.io/ollama/ollama") },
    ollama: { gpu: { enabled: true, type: "nvidia", number: 1 }, models: { pull: [], run: [] } },
    persistentVolume: { enabled: true, size: "200Gi", accessModes: ["ReadWriteOnce"] },
    extraEnv: [{ name: "OLLAMA_NOPRUNE", value: "1" }],
    initContainers: [seedModels(cluster)],
    volumes: [{ name: "mc-config", emptyDir: {} }],
    resources: {
      requests: { cpu: "2", memory: "16Gi" },
      limits: { cpu: "8", memory: "48Gi", [GPU_RESOURCE]: 1 },
    },
    tolerations: [{ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" }],
    nodeSelector: { [GPU_NODE_LABEL]: "true" },
    // Model loading is slow: give the probes room before they restart the pod.
    readinessProbe: { initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 60 },
    livenessProbe: { initialDelaySeconds: 300, periodSeconds: 30, failureThreshold: 6 },
  }),
};

function seedModels(cluster: Cluster) {
  return {
    name: "seed-models",
    image: mirror(cluster, MC_IMAGE),
    args: ["mirror", "--overwrite", "store/models/ollama/", "/root/.ollama/models/"],
    env: [
      { name: "MC_CONFIG_DIR", value: "/mc-config" },
      { name: "MC_HOST_store", valueFrom: { secretKeyRef: { name: MODELS_READER_SECRET, key: "url" } } },
    ],
    volumeMounts: [
      { name: "ollama-data", mountPath: "/root/.ollama" },
      { name: "mc-config", mountPath: "/mc-config" },
    ],
    resources: resources(["100m", "1"], ["256Mi", "1Gi"]),
    // Ollama's volume belongs to root (the upstream image's user); the copy keeps the same owner.
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
  };
}
