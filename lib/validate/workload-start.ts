import type { HydratedObject } from "../hydrate/index.ts";
import { podOf } from "../hydrate/pods.ts";
import type { Manifest } from "../k8s/model-object.ts";

type Spec = Record<string, any>;

const GPU = "nvidia.com/gpu";

/**
 * What keeps a workload from starting or rolling out, beyond admission: a Deployment that holds whole
 * GPUs must replace its pods (`Recreate`), since a surge pod needs GPUs the old pod still holds; and a
 * pod must not start on a volume that only a CronJob fills (the first start would find it empty).
 */
export function workloadStartProblems(cluster: string, objects: readonly HydratedObject[]): string[] {
  const problems: string[] = [];
  const cronWriters = volumeWritersByCronJob(objects);
  for (const { origin, manifest } of objects) {
    if (manifest.kind !== "Deployment") continue;
    const at = `${origin}: cluster "${cluster}": Deployment ${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
    const pod = ((manifest.spec as Spec)?.template?.spec ?? {}) as Spec;
    const gpus = ((pod.containers ?? []) as Spec[]).reduce(
      (n, c) => n + Number(c.resources?.limits?.[GPU] ?? 0),
      0,
    );
    const strategy = (manifest.spec as Spec)?.strategy ?? {};
    const surge = strategy.type === "Recreate" ? 0 : (strategy.rollingUpdate?.maxSurge ?? "25%");
    if (gpus > 0 && String(surge) !== "0" && String(surge) !== "0%")
      problems.push(
        `${at}: holds ${gpus} whole GPU(s) per pod but rolls with maxSurge ${surge}: the new pod waits for GPUs the old one holds; use the Recreate strategy`,
      );
    problems.push(...emptyVolumeStarts(at, manifest, pod, cronWriters));
  }
  return problems;
}

/** PersistentVolumeClaims (by namespace/claim) that a CronJob mounts writable, with the CronJob. */
function volumeWritersByCronJob(objects: readonly HydratedObject[]): Map<string, string> {
  const writers = new Map<string, string>();
  for (const { manifest } of objects) {
    if (manifest.kind !== "CronJob") continue;
    const pod = podOf(manifest) as Manifest | undefined;
    for (const claim of writableClaims((pod?.spec ?? {}) as Spec, "containers"))
      writers.set(`${manifest.metadata?.namespace}/${claim}`, `CronJob ${manifest.metadata?.name}`);
  }
  return writers;
}

/** Claims mounted without readOnly by the given container list of a pod spec. */
function writableClaims(pod: Spec, list: "containers" | "initContainers"): string[] {
  const claimOf = new Map(
    ((pod.volumes ?? []) as Spec[])
      .filter((v) => v.persistentVolumeClaim)
      .map((v) => [v.name as string, v.persistentVolumeClaim.claimName as string]),
  );
  return ((pod[list] ?? []) as Spec[]).flatMap((c) =>
    ((c.volumeMounts ?? []) as Spec[])
      .filter((m) => !m.readOnly && claimOf.has(m.name))
      .map((m) => claimOf.get(m.name) as string),
  );
}

function emptyVolumeStarts(
  at: string,
  deployment: Manifest,
  pod: Spec,
  cronWriters: Map<string, string>,
): string[] {
  const filledAtStart = new Set(writableClaims(pod, "initContainers"));
  const written = new Set(writableClaims(pod, "containers"));
  const read = ((pod.volumes ?? []) as Spec[])
    .filter((v) => v.persistentVolumeClaim)
    .map((v) => v.persistentVolumeClaim.claimName as string);
  return read
    .filter((claim) => !filledAtStart.has(claim) && !written.has(claim))
    .flatMap((claim) => {
      const writer = cronWriters.get(`${deployment.metadata?.namespace}/${claim}`);
      return writer
        ? [
            `${at}: reads PersistentVolumeClaim ${claim}, which only ${writer} fills: the first pod starts on an empty volume; fill it in an init container`,
          ]
        : [];
    });
}
