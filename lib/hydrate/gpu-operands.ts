import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cachedJsonSync } from "../cache/json-cache.ts";
import type { Cluster } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { parseManifests } from "../k8s/parse-manifests.ts";

/**
 * The NVIDIA GPU operator's operand assets at each operator release, as its image ships them in
 * /opt/gpu-operator (the `assets/` folder of the repository at the tag, vendored whole).
 */
export const GPU_OPERATOR_ASSETS = "vendor/operators/gpu-operator";

type Spec = Record<string, any>;
type Container = Record<string, any>;

/** What the GPU nodes are, from the cluster's platform contract: the driver image tag depends on it. */
export interface GpuNodeFacts {
  /** `<ID><VERSION_ID>` of the nodes' os-release, as the operator tags driver images (`ubuntu24.04`). */
  readonly os: string;
  /** `uname -r` of the nodes: precompiled driver images are tagged per kernel. */
  readonly kernel?: string;
}

/** The GPU node facts of every cluster whose platform contract has GPU nodes, by cluster name. */
export function gpuNodesOf(clusters: readonly Cluster[]): Map<string, GpuNodeFacts> {
  return new Map(
    clusters.flatMap((c) =>
      c.platform.gpu
        ? [
            [
              c.name,
              {
                os: c.platform.gpu.nodeOs,
                ...(c.platform.gpu.kernel ? { kernel: c.platform.gpu.kernel } : {}),
              },
            ],
          ]
        : [],
    ),
  );
}

/**
 * The operand states the ClusterPolicy controller walks (controllers/state_manager.go), each with
 * the spec block that enables it and whether it is on when that block says nothing.
 */
const STATES: readonly { state: string; spec: string; byDefault: boolean }[] = [
  { state: "state-driver", spec: "driver", byDefault: true },
  { state: "state-container-toolkit", spec: "toolkit", byDefault: true },
  { state: "state-operator-validation", spec: "", byDefault: true },
  { state: "state-device-plugin", spec: "devicePlugin", byDefault: true },
  { state: "state-mps-control-daemon", spec: "devicePlugin", byDefault: true },
  { state: "state-dcgm", spec: "dcgm", byDefault: true },
  { state: "state-dcgm-exporter", spec: "dcgmExporter", byDefault: true },
  { state: "gpu-feature-discovery", spec: "gfd", byDefault: true },
  { state: "state-mig-manager", spec: "migManager", byDefault: true },
  { state: "state-node-status-exporter", spec: "nodeStatusExporter", byDefault: false },
];

/** Per operand DaemonSet: the ClusterPolicy block its main container takes image and resources from. */
const DAEMONSETS: Record<string, { spec: string; main: string }> = {
  "nvidia-driver-daemonset": { spec: "driver", main: "nvidia-driver-ctr" },
  "nvidia-container-toolkit-daemonset": { spec: "toolkit", main: "nvidia-container-toolkit-ctr" },
  "nvidia-operator-validator": { spec: "validator", main: "nvidia-operator-validator" },
  "nvidia-device-plugin-daemonset": { spec: "devicePlugin", main: "nvidia-device-plugin" },
  "nvidia-device-plugin-mps-control-daemon": { spec: "devicePlugin", main: "mps-control-daemon-ctr" },
  "nvidia-dcgm": { spec: "dcgm", main: "nvidia-dcgm-ctr" },
  "nvidia-dcgm-exporter": { spec: "dcgmExporter", main: "nvidia-dcgm-exporter" },
  "gpu-feature-discovery": { spec: "gfd", main: "gpu-feature-discovery" },
  "nvidia-mig-manager": { spec: "migManager", main: "nvidia-mig-manager" },
  "nvidia-node-status-exporter": { spec: "nodeStatusExporter", main: "nvidia-node-status-exporter" },
};

/** Driver DaemonSet sidecars the operator removes unless their feature is on (transformDriver). */
const DRIVER_SIDECARS: Record<string, (spec: Spec) => boolean> = {
  "nvidia-peermem-ctr": (s) => s.driver?.rdma?.enabled === true,
  "nvidia-fs-ctr": (s) => s.gds?.enabled === true,
  "nvidia-gdrcopy-ctr": (s) => s.gdrcopy?.enabled === true,
  "openshift-driver-toolkit-ctr": () => false,
};

export interface GpuOperands {
  readonly objects: Manifest[];
  /** What the model cannot judge: reported as "cannot prove", never skipped. */
  readonly problems: string[];
}

/**
 * The DaemonSets the GPU operator creates from a ClusterPolicy, built as its controller builds them
 * (controllers/object_controls.go at the operator's release): the vendored asset of every enabled
 * state, in the operator's namespace, with the ClusterPolicy's images, resources, priority class and
 * tolerations; plus the pods its validator creates to run a CUDA and a device-plugin workload
 * (validator/manifests), which take no resources from anywhere.
 */
export function gpuOperands(
  root: string,
  policy: Manifest,
  operator: { namespace: string; version: string },
  nodes: GpuNodeFacts | undefined,
): GpuOperands {
  const spec = (policy.spec ?? {}) as Spec;
  const dir = join(root, GPU_OPERATOR_ASSETS, operator.version);
  const problems = unmodelled(spec);
  if ((spec.driver?.enabled ?? true) && !nodes?.os)
    problems.push(
      "cannot prove the driver image: the cluster's platform contract names no GPU node OS (platform.gpu)",
    );
  if ((spec.driver?.enabled ?? true) && spec.driver?.usePrecompiled && !nodes?.kernel)
    problems.push(
      "cannot prove the precompiled driver image: the platform contract names no GPU node kernel",
    );
  if (!existsSync(dir))
    problems.push(`cannot prove the operands: operator ${operator.version} is not vendored in ${dir}`);
  if (problems.length) return { objects: [], problems };
  const objects: Manifest[] = [];
  for (const { state, spec: block, byDefault } of STATES) {
    if (!(block === "" || (spec[block]?.enabled ?? byDefault))) continue;
    for (const asset of stateAssets(root, join(dir, "assets", state)).filter((m) => m.kind === "DaemonSet")) {
      const built = daemonSet(asset, spec, operator.namespace, nodes);
      if (typeof built === "string") problems.push(built);
      else objects.push(built);
    }
  }
  if (objects.some((o) => o.metadata?.name === "nvidia-operator-validator"))
    objects.push(...validatorWorkloads(root, dir, spec, operator.namespace));
  return { objects, problems };
}

/** Features that change the operands in ways this model does not follow: refuse to guess. */
function unmodelled(spec: Spec): string[] {
  const problems: string[] = [];
  if (spec.sandboxWorkloads?.enabled)
    problems.push("cannot prove the operands: sandboxWorkloads (vGPU, VFIO, Kata) are not modelled");
  if (spec.driver?.useNvidiaDriverCRD)
    problems.push(
      "cannot prove the operands: driver.useNvidiaDriverCRD (NVIDIADriver objects) is not modelled",
    );
  if (spec.cdi?.nriPluginEnabled)
    problems.push("cannot prove the operands: cdi.nriPluginEnabled is not modelled");
  return problems;
}

/**
 * The manifests of vendored asset files, parsed once and then served from the JSON cache by their
 * content (node_modules/.cache/operator-assets): YAML parsing is most of a hydration's cost here.
 */
function assetFiles(root: string, paths: readonly string[]): readonly Manifest[] {
  const present = paths.filter((p) => existsSync(p));
  const contents = present.map((p) => readFileSync(p));
  return cachedJsonSync(
    root,
    "operator-assets",
    present.flatMap((p, i) => [p.slice(root.length), contents[i] as Buffer]),
    () => contents.flatMap((c) => parseManifests(c.toString("utf8"))),
  );
}

/** A state's asset files, as the operator reads its directory (OpenShift-only files left out). */
function stateAssets(root: string, dir: string): readonly Manifest[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !f.includes("openshift"))
    .sort();
  return assetFiles(
    root,
    files.map((f) => join(dir, f)),
  );
}

/** One operand DaemonSet as preProcessDaemonSet leaves it. */
function daemonSet(asset: Manifest, spec: Spec, namespace: string, nodes?: GpuNodeFacts): Manifest | string {
  const name = asset.metadata?.name as string;
  const operand = DAEMONSETS[name];
  if (!operand) return `cannot prove DaemonSet ${name}: the model knows no transformation for it`;
  const ds = structuredClone(asset) as Spec;
  ds.metadata.namespace = namespace;
  const pod = ds.spec.template.spec as Spec;
  const common = spec.daemonsets ?? {};
  if (common.priorityClassName) pod.priorityClassName = common.priorityClassName;
  if (common.tolerations?.length) pod.tolerations = common.tolerations;
  if (common.podSecurityContext) pod.securityContext = common.podSecurityContext;
  for (const [key, value] of Object.entries((common.labels ?? {}) as Record<string, string>))
    if (key !== "app" && key !== "app.kubernetes.io/part-of") ds.spec.template.metadata.labels[key] = value;

  const block = (spec[operand.spec] ?? {}) as Spec;
  if (name === "nvidia-driver-daemonset") {
    pod.containers = pod.containers.filter((c: Container) => DRIVER_SIDECARS[c.name]?.(spec) ?? true);
    const manager = pod.initContainers?.find((c: Container) => c.name === "k8s-driver-manager");
    if (manager) {
      manager.image = imagePath(block.manager ?? {});
      applyResources(manager, block.resources);
    }
    if (block.usePrecompiled) precompiled(ds, nodes);
  }
  if (!spec.devicePlugin?.config?.name) {
    pod.containers = pod.containers.filter((c: Container) => c.name !== "config-manager");
    pod.initContainers = pod.initContainers?.filter((c: Container) => c.name !== "config-manager-init");
  }
  for (const init of pod.initContainers ?? []) {
    if (init.name.includes("validation")) {
      init.image = imagePath(spec.validator ?? {});
      applyResources(init, spec.validator?.resources);
      init.securityContext = { ...(init.securityContext ?? {}), runAsUser: 0 };
    } else if (init.name === "mps-control-daemon-mounts" || init.name === "config-manager-init") {
      init.image = imagePath(spec.devicePlugin ?? {});
      if (init.name === "mps-control-daemon-mounts") applyResources(init, spec.devicePlugin?.resources);
    }
  }
  for (const container of pod.containers) {
    if (container.name === operand.main)
      container.image = name === "nvidia-driver-daemonset" ? driverImage(block, nodes) : imagePath(block);
    if (container.name === "config-manager") container.image = imagePath(spec.devicePlugin ?? {});
    // The driver's resources go to its own container; every other operand's to all its containers.
    if (name !== "nvidia-driver-daemonset" || container.name === operand.main)
      applyResources(container, block.resources);
  }
  if (pod.initContainers?.length === 0) delete pod.initContainers;
  return ds as Manifest;
}

/** transformPrecompiledDriverDaemonset: one DaemonSet per kernel, pinned to nodes of that kernel. */
function precompiled(ds: Spec, nodes?: GpuNodeFacts): void {
  const kernel = nodes?.kernel ?? "<kernel unknown>";
  const sanitized = kernel
    .replace(/x86_64(?:_64k)?|aarch64(?:_64k)?/g, "")
    .replaceAll("_", ".")
    .replace(/\.$/, "")
    .toLowerCase();
  ds.metadata.name += `-${sanitized}-${nodes?.os ?? "<GPU node OS unknown>"}`;
  ds.metadata.labels = { ...(ds.metadata.labels ?? {}), "nvidia.com/precompiled": "true" };
  ds.spec.template.metadata.labels["nvidia.com/precompiled"] = "true";
  ds.spec.template.spec.nodeSelector = {
    ...(ds.spec.template.spec.nodeSelector ?? {}),
    "feature.node.kubernetes.io/kernel-version.full": kernel,
  };
}

/** gpuv1.ImagePath: `<repository>/<image>:<version>` (or `@sha256:…`), or the image alone. */
function imagePath(block: Spec): string {
  if (!block.repository && !block.version) return String(block.image ?? "");
  const separator = String(block.version).startsWith("sha256:") ? "@" : ":";
  return `${block.repository}/${block.image}${separator}${block.version}`;
}

/** resolveDriverTag: the node OS tag appended; precompiled images are tagged per kernel too. */
function driverImage(driver: Spec, nodes?: GpuNodeFacts): string {
  const os = nodes?.os ?? "<GPU node OS unknown>";
  if (driver.usePrecompiled)
    return `${driver.repository}/${driver.image}:${driver.version}-${nodes?.kernel ?? "<kernel unknown>"}-${os}`;
  const image = imagePath(driver);
  return image.includes("sha256:") ? image : `${image}-${os}`;
}

/** applyResourceRequirements: both requests and limits replaced, even by nothing, when a block is set. */
function applyResources(container: Container, resources: Spec | undefined): void {
  if (!resources) return;
  container.resources = {
    ...(resources.requests ? { requests: resources.requests } : {}),
    ...(resources.limits ? { limits: resources.limits } : {}),
  };
}

/**
 * The validator's workload pods (cmd/nvidia-validator): the CUDA and device-plugin checks each run a
 * pod from the validator image in the operator's namespace, unless WITH_WORKLOAD=false is set for
 * that check. Their containers get no resources (the plugin check's init container asks one GPU).
 */
function validatorWorkloads(root: string, dir: string, spec: Spec, namespace: string): Manifest[] {
  const image = imagePath(spec.validator ?? {});
  const checks = [
    { env: spec.validator?.cuda?.env, file: "cuda-workload-validation.yaml", gpu: false },
    { env: spec.validator?.plugin?.env, file: "plugin-workload-validation.yaml", gpu: true },
  ];
  return checks
    .filter(({ env }) => !(env ?? []).some((e: Spec) => e.name === "WITH_WORKLOAD" && e.value === "false"))
    .flatMap(({ file, gpu }) =>
      assetFiles(root, [join(dir, "validator", "manifests", file)]).map((asset) => ({ asset, gpu })),
    )
    .map(({ asset, gpu }) => {
      const pod = structuredClone(asset) as Spec;
      pod.metadata.namespace = namespace;
      pod.metadata.name = `${pod.metadata.generateName}node`;
      delete pod.metadata.generateName;
      for (const c of [...pod.spec.initContainers, ...pod.spec.containers]) c.image = image;
      // Plugin.runWorkload asks one GPU for the init container (the resource name MIG "single" keeps).
      if (gpu)
        pod.spec.initContainers[0].resources = {
          limits: { "nvidia.com/gpu": 1 },
          requests: { "nvidia.com/gpu": 1 },
        };
      if (spec.daemonsets?.tolerations?.length) pod.spec.tolerations = spec.daemonsets.tolerations;
      return pod as Manifest;
    });
}
