import type { Manifest } from "../k8s/model-object.ts";

type Spec = Record<string, any>;

/** Where a pod template sits in each workload kind. */
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

/**
 * The pod an object will create, as the API server and Kyverno receive it: a Pod as it is, or the
 * pod template of a workload with the workload's namespace. Undefined for anything else.
 */
export function podOf(manifest: Manifest): Manifest | undefined {
  if (manifest.kind === "Pod") return manifest;
  const path = TEMPLATE_PATHS[manifest.kind];
  if (!path) return undefined;
  let template: Spec | undefined = manifest as Spec;
  for (const key of path) template = template?.[key];
  if (!template?.spec) return undefined;
  // The Job controller labels its pods with the Job's name (a CronJob's Jobs are named after it).
  const jobLabels =
    manifest.kind === "Job" || manifest.kind === "CronJob"
      ? { "batch.kubernetes.io/job-name": manifest.metadata?.name as string }
      : {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: manifest.metadata?.name as string,
      namespace: manifest.metadata?.namespace as string,
      labels: { ...(template.metadata?.labels ?? {}), ...jobLabels },
      annotations: { ...(template.metadata?.annotations ?? {}) },
    },
    spec: template.spec,
  };
}

/** Every container of a pod with its kind of list: init, regular and ephemeral. */
export function containersOf(pod: Manifest): { list: string; container: Spec }[] {
  const spec = (pod.spec ?? {}) as Spec;
  return ["initContainers", "containers", "ephemeralContainers"].flatMap((list) =>
    ((spec[list] ?? []) as Spec[]).map((container) => ({ list, container })),
  );
}

/** Container images of a pod or workload, and the operand images of a GPU operator ClusterPolicy. */
export function imagesOf(manifest: Manifest): string[] {
  const pod = podOf(manifest);
  if (pod) return containersOf(pod).map(({ container }) => String(container.image));
  if (manifest.kind === "ClusterPolicy" && manifest.apiVersion.startsWith("nvidia.com/"))
    return operandImages(manifest.spec);
  return [];
}

/** Every `{repository, image, version}` block of the ClusterPolicy that names a repository. */
function operandImages(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(operandImages);
  if (!value || typeof value !== "object") return [];
  const block = value as Record<string, unknown>;
  const own =
    typeof block.repository === "string" && block.repository && typeof block.image === "string"
      ? [`${block.repository}/${block.image}${block.version ? `:${block.version}` : ""}`]
      : [];
  return [...own, ...Object.values(block).flatMap(operandImages)];
}
