import { mirror } from "../lib/images.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import { resources } from "../lib/k8s/pod-defaults.ts";

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
  const nfdResources = resources(["50m", "500m"], ["128Mi", "512Mi"]);
  values["node-feature-discovery"] = {
    image: { repository: mirror(cluster, "registry.k8s.io/nfd/node-feature-discovery") },
    master: { resources: nfdResources },
    worker: { resources: nfdResources },
    gc: { resources: nfdResources },
  };
  return values;
}
