import { gpuOperatorConnections } from "../../lib/connections/platform.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { pods, scrape } from "../../lib/inventory/connection.ts";
import { GPU_OPERATOR_NAMESPACE } from "../../lib/platform.ts";
import { JOB_PODS } from "../../lib/rules/exceptions.ts";
import { gpuOperatorValues } from "./gpu-operator-values.ts";

/** The NVIDIA GPU operator, on clusters with GPU nodes: drivers, toolkit, device plugin, DCGM. */
export const gpuOperator: PlatformComponent = {
  name: "gpu-operator",
  chart: "gpu-operator",
  namespace: GPU_OPERATOR_NAMESPACE,
  ownNamespace: {
    holds: "the NVIDIA GPU operator and its operands",
    podSecurity: "privileged",
    why: "it installs drivers and the container toolkit on the host",
  },
  layer: "controllers",
  runsOn: (cluster) => cluster.gpuNodes,
  values: gpuOperatorValues,
  connections: gpuOperatorConnections,
  // The DCGM exporter, an operand DaemonSet of the operator (lib/hydrate/gpu-operands.ts).
  metrics: () => [
    scrape(
      "dcgm-exporter",
      pods(GPU_OPERATOR_NAMESPACE, { app: "nvidia-dcgm-exporter" }, "dcgm-exporter"),
      9400,
    ),
  ],
  operates: [{ kind: "nvidia.com/ClusterPolicy", creates: "modeled" }],
  exceptions: [
    {
      name: "gpu-operator-hook-jobs",
      namespace: GPU_OPERATOR_NAMESPACE,
      policies: ["require-requests-limits"],
      condition: JOB_PODS,
      reason:
        "the GPU operator chart's CRD upgrade and cleanup hook Jobs have no resources value; they run once per install or upgrade",
    },
    {
      name: "gpu-operator-validator-workloads",
      namespace: GPU_OPERATOR_NAMESPACE,
      policies: ["require-requests-limits"],
      condition: `object.kind == 'Pod' && has(object.metadata.labels) && 'app' in object.metadata.labels && object.metadata.labels['app'] in ['nvidia-cuda-validator', 'nvidia-device-plugin-validator']`,
      reason:
        "the GPU operator's validator runs one CUDA and one device-plugin test pod per GPU node from manifests built into its image (validator/manifests), which take no resources from any setting; they exit after the test",
    },
  ],
};
