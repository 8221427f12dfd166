import { mirror } from "../../lib/images.ts";
import type { Cluster } from "../../lib/inventory/model.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";

/**
 * Every image block of the NVIDIA GPU operator chart and of the ClusterPolicy it renders (one per
 * operand), with the upstream repository the chart defaults to; each is pointed at the mirror.
 */
const OPERAND_REPOSITORIES: Record<string, string> = {
  validator: "nvcr.io/nvidia",
  operator: "nvcr.io/nvidia",
  driver: "nvcr.io/nvidia",
  toolkit: "nvcr.io/nvidia/k8s",
  devicePlugin: "nvcr.io/nvidia",
  dcgm: "nvcr.io/nvidia/cloud-native",
  dcgmExporter: "nvcr.io/nvidia/k8s",
  gfd: "nvcr.io/nvidia",
  migManager: "nvcr.io/nvidia/cloud-native",
  nodeStatusExporter: "nvcr.io/nvidia",
  gds: "nvcr.io/nvidia/cloud-native",
  gdrcopy: "nvcr.io/nvidia/cloud-native",
  vgpuDeviceManager: "nvcr.io/nvidia/cloud-native",
  vfioManager: "nvcr.io/nvidia/cloud-native",
  sandboxDevicePlugin: "nvcr.io/nvidia",
  kataSandboxDevicePlugin: "nvcr.io/nvidia/cloud-native",
  ccManager: "nvcr.io/nvidia/cloud-native",
  draDriver: "nvcr.io/nvidia",
};
/** Requests and limits per operand block (the driver's also go to its k8s-driver-manager init container). */
const OPERAND_RESOURCES: Record<string, ReturnType<typeof resources>> = {
  driver: resources(["200m", "2"], ["512Mi", "2Gi"]),
  toolkit: resources(["50m", "500m"], ["64Mi", "256Mi"]),
  validator: resources(["50m", "500m"], ["64Mi", "256Mi"]),
  devicePlugin: resources(["50m", "500m"], ["64Mi", "256Mi"]),
  dcgm: resources(["100m", "1"], ["256Mi", "1Gi"]),
  dcgmExporter: resources(["100m", "1"], ["256Mi", "1Gi"]),
  gfd: resources(["50m", "500m"], ["64Mi", "256Mi"]),
  migManager: resources(["50m", "500m"], ["64Mi", "256Mi"]),
  nodeStatusExporter: resources(["50m", "500m"], ["64Mi", "256Mi"]),
};

/** The branch of the chart's default driver (595.91.07), for precompiled images. */
const PRECOMPILED_DRIVER_BRANCH = "595";

/** The driver as the cluster's platform contract says it reaches the GPU nodes. */
function driverMode(cluster: Cluster): Record<string, unknown> {
  const gpu = cluster.platform.gpu;
  if (!gpu || gpu.driver === "host") return { enabled: false };
  // Precompiled images are tagged by driver branch: the chart's default release's branch.
  if (gpu.driver === "precompiled") return { usePrecompiled: true, version: PRECOMPILED_DRIVER_BRANCH };
  return { usePrecompiled: false, repoConfig: { configMapName: gpu.repositoryConfigMap } };
}

/** Operands with a nested driver-manager image block. */
const DRIVER_MANAGERS = ["driver", "vgpuManager", "vfioManager"];

export function gpuOperatorValues(cluster: Cluster): Record<string, unknown> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [operand, upstream] of Object.entries(OPERAND_REPOSITORIES)) {
    values[operand] = { repository: mirror(cluster, upstream) };
  }
  for (const operand of DRIVER_MANAGERS) {
    values[operand] = {
      ...values[operand],
      [operand === "driver" ? "manager" : "driverManager"]: {
        repository: mirror(cluster, "nvcr.io/nvidia/cloud-native"),
      },
    };
  }
  values.toolkit = {
    ...values.toolkit,
    // RKE2 runs its own containerd; the toolkit must configure that one.
    env: [
      { name: "CONTAINERD_SOCKET", value: "/run/k3s/containerd/containerd.sock" },
      { name: "CONTAINERD_CONFIG", value: "/var/lib/rancher/rke2/agent/etc/containerd/config.toml.tmpl" },
    ],
  };
  // The operator gives every operand container its block's resources (prod denies pods without them).
  for (const [operand, requestsAndLimits] of Object.entries(OPERAND_RESOURCES))
    values[operand] = { ...values[operand], resources: requestsAndLimits };
  values.driver = { ...values.driver, ...driverMode(cluster) };
  const nfdResources = resources(["50m", "500m"], ["128Mi", "512Mi"]);
  values["node-feature-discovery"] = {
    image: { repository: mirror(cluster, "registry.k8s.io/nfd/node-feature-discovery") },
    master: { resources: nfdResources },
    worker: { resources: nfdResources },
    gc: { resources: nfdResources },
  };
  return values;
}
