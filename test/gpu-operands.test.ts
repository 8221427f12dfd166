import { describe, expect, it } from "vitest";
import { gpuOperands } from "../lib/hydrate/gpu-operands.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { REPO } from "./helpers.ts";

/** A fixture ClusterPolicy (not the estate's): each test changes one thing. */
function policy(spec: Record<string, unknown> = {}): Manifest {
  const block = (image: string, extra: Record<string, unknown> = {}) => ({
    repository: "mirror.example/nvidia",
    image,
    version: "v1.0.0",
    ...extra,
  });
  return {
    apiVersion: "nvidia.com/v1",
    kind: "ClusterPolicy",
    metadata: { name: "cluster-policy" },
    spec: {
      daemonsets: {
        priorityClassName: "system-node-critical",
        tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }],
      },
      validator: block("gpu-operator"),
      driver: block("driver", { version: "595.91.07", manager: block("k8s-driver-manager") }),
      toolkit: block("container-toolkit"),
      devicePlugin: block("k8s-device-plugin"),
      dcgm: { enabled: false },
      dcgmExporter: block("dcgm-exporter"),
      gfd: block("k8s-device-plugin"),
      migManager: block("k8s-mig-manager"),
      ...spec,
    },
  };
}
const OPERATOR = { namespace: "gpu", version: "v26.7.0" };
const NODES = { os: "ubuntu22.04", kernel: "5.15.0-126-generic" };
const RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "1", memory: "1Gi" } };
const named = (objects: Manifest[], name: string) => objects.find((o) => o.metadata?.name === name) as any;

describe("GPU operator operands, built from the vendored assets as the ClusterPolicy controller builds them", () => {
  it("creates a DaemonSet per enabled state, in the operator's namespace, plus the validator's test pods", () => {
    const { objects, problems } = gpuOperands(REPO, policy(), OPERATOR, NODES);
    expect(problems).toEqual([]);
    expect(objects.map((o) => `${o.kind} ${o.metadata?.name}`).sort()).toEqual([
      "DaemonSet gpu-feature-discovery",
      "DaemonSet nvidia-container-toolkit-daemonset",
      "DaemonSet nvidia-dcgm-exporter",
      "DaemonSet nvidia-device-plugin-daemonset",
      "DaemonSet nvidia-device-plugin-mps-control-daemon",
      "DaemonSet nvidia-driver-daemonset",
      "DaemonSet nvidia-mig-manager",
      "DaemonSet nvidia-operator-validator",
      "Pod nvidia-cuda-validator-node",
      "Pod nvidia-device-plugin-validator-node",
    ]);
    expect(objects.every((o) => o.metadata?.namespace === "gpu")).toBe(true);
    const plugin = named(objects, "nvidia-device-plugin-daemonset").spec.template.spec;
    expect(plugin.priorityClassName).toBe("system-node-critical");
    expect(plugin.containers.map((c: any) => [c.name, c.image])).toEqual([
      ["nvidia-device-plugin", "mirror.example/nvidia/k8s-device-plugin:v1.0.0"],
    ]);
    expect(plugin.initContainers.map((c: any) => [c.name, c.image])).toEqual([
      ["toolkit-validation", "mirror.example/nvidia/gpu-operator:v1.0.0"],
    ]);
  });

  it("gives containers no resources unless the ClusterPolicy's block sets them, and then all of them", () => {
    const bare = gpuOperands(REPO, policy(), OPERATOR, NODES).objects;
    expect(named(bare, "nvidia-mig-manager").spec.template.spec.containers[0].resources).toBeUndefined();
    const withResources = policy({
      migManager: {
        repository: "mirror.example/nvidia",
        image: "k8s-mig-manager",
        version: "v1",
        resources: RESOURCES,
      },
      validator: {
        repository: "mirror.example/nvidia",
        image: "gpu-operator",
        version: "v1",
        resources: { limits: RESOURCES.limits },
      },
    });
    const { objects } = gpuOperands(REPO, withResources, OPERATOR, NODES);
    const mig = named(objects, "nvidia-mig-manager").spec.template.spec;
    expect(mig.containers[0].resources).toEqual(RESOURCES);
    // applyResourceRequirements replaces requests too: a block with limits only leaves none.
    expect(mig.initContainers[0].resources).toEqual({ limits: RESOURCES.limits });
    expect(named(objects, "nvidia-cuda-validator-node").spec.containers[0].resources).toBeUndefined();
  });

  it("keeps only the driver container, and names precompiled DaemonSets by kernel and OS", () => {
    const source = gpuOperands(REPO, policy(), OPERATOR, NODES).objects;
    const driver = named(source, "nvidia-driver-daemonset").spec.template.spec;
    expect(driver.containers.map((c: any) => c.name)).toEqual(["nvidia-driver-ctr"]);
    expect(driver.containers[0].image).toBe("mirror.example/nvidia/driver:595.91.07-ubuntu22.04");
    expect(driver.initContainers[0].image).toBe("mirror.example/nvidia/k8s-driver-manager:v1.0.0");
    const precompiled = policy({
      driver: {
        repository: "mirror.example/nvidia",
        image: "driver",
        version: "595",
        usePrecompiled: true,
        manager: {},
      },
    });
    const { objects } = gpuOperands(REPO, precompiled, OPERATOR, NODES);
    const ds = named(objects, "nvidia-driver-daemonset-5.15.0-126-generic-ubuntu22.04");
    expect(ds.spec.template.spec.containers[0].image).toBe(
      "mirror.example/nvidia/driver:595-5.15.0-126-generic-ubuntu22.04",
    );
    expect(ds.spec.template.spec.nodeSelector["feature.node.kubernetes.io/kernel-version.full"]).toBe(
      "5.15.0-126-generic",
    );
  });

  it("drops the validator's test pods only for the checks run with WITH_WORKLOAD=false", () => {
    const spec = policy({
      validator: {
        repository: "mirror.example/nvidia",
        image: "gpu-operator",
        version: "v1",
        cuda: { env: [{ name: "WITH_WORKLOAD", value: "false" }] },
      },
    });
    const pods = gpuOperands(REPO, spec, OPERATOR, NODES).objects.filter((o) => o.kind === "Pod");
    expect(pods.map((p) => p.metadata?.name)).toEqual(["nvidia-device-plugin-validator-node"]);
    expect((pods[0] as any).spec.initContainers[0].resources.limits).toEqual({ "nvidia.com/gpu": 1 });
  });

  it("says what it cannot prove instead of guessing", () => {
    const cannot = (spec: Manifest, nodes: typeof NODES | undefined, version = "v26.7.0") =>
      gpuOperands(REPO, spec, { namespace: "gpu", version }, nodes).problems;
    expect(cannot(policy({ sandboxWorkloads: { enabled: true } }), NODES)).toEqual([
      "cannot prove the operands: sandboxWorkloads (vGPU, VFIO, Kata) are not modelled",
    ]);
    expect(cannot(policy(), undefined)[0]).toContain("cannot prove the driver image");
    expect(cannot(policy(), NODES, "v0.0.1")[0]).toContain("operator v0.0.1 is not vendored");
    expect(cannot(policy({ driver: { enabled: false } }), undefined)).toEqual([]);
  });
});
