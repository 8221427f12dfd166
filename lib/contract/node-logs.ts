import type { HydratedObject } from "../hydrate/index.ts";
import { podOf } from "../hydrate/pods.ts";
import type { Cluster } from "../inventory/model.ts";

type Spec = Record<string, any>;

/**
 * Whether a hostPath is a log mount: the log directory itself, below it, or a directory above it
 * (`/var/log`). The host's root is mounted for other reasons (drivers, toolkits), not to read logs.
 */
function reachesLogs(hostPath: string, logs: string): boolean {
  const clean = hostPath.replace(/\/+$/, "");
  if (clean === "") return false;
  return clean === logs || clean.startsWith(`${logs}/`) || logs.startsWith(`${clean}/`);
}

/**
 * Every container that mounts the node's container logs (a hostPath reaching `nodeLogs.path`) can read
 * the log files as the contract says the runtime writes them: as their owner, through a group it
 * holds (runAsGroup, supplementalGroups, fsGroup), through the "other" bits, or with
 * CAP_DAC_READ_SEARCH / CAP_DAC_OVERRIDE. A container whose user the pod spec does not name cannot be
 * judged (the image decides): "cannot prove".
 */
export function logReaderProblems(cluster: Cluster, objects: readonly HydratedObject[]): string[] {
  const { nodeLogs } = cluster.platform;
  const mode = Number.parseInt(nodeLogs.mode, 8);
  const problems: string[] = [];
  for (const { origin, manifest } of objects) {
    const pod = podOf(manifest);
    const spec = (pod?.spec ?? {}) as Spec;
    const logVolumes = new Set(
      ((spec.volumes ?? []) as Spec[])
        .filter((v) => v.hostPath?.path && reachesLogs(v.hostPath.path, nodeLogs.path))
        .map((v) => v.name as string),
    );
    if (logVolumes.size === 0) continue;
    const subject = `${manifest.kind} ${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
    for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Spec[]) {
      if (!((container.volumeMounts ?? []) as Spec[]).some((m) => logVolumes.has(m.name))) continue;
      const at = `${origin}: cluster "${cluster.name}": ${subject}: container "${container.name}" reads ${nodeLogs.path}`;
      const verdict = canRead(spec, container, nodeLogs, mode);
      if (verdict !== true) problems.push(`${at}: ${verdict}`);
    }
  }
  return problems;
}

function canRead(
  pod: Spec,
  container: Spec,
  logs: Cluster["platform"]["nodeLogs"],
  mode: number,
): true | string {
  const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  const group = container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup;
  const groups = [
    group,
    ...(pod.securityContext?.supplementalGroups ?? []),
    pod.securityContext?.fsGroup,
  ].filter((g): g is number => typeof g === "number");
  if (container.securityContext?.privileged) return true;
  const added = ((container.securityContext?.capabilities?.add ?? []) as string[]).map((c) =>
    c.replace(/^CAP_/, ""),
  );
  if (added.includes("DAC_READ_SEARCH") || added.includes("DAC_OVERRIDE")) return true;
  if (mode & 0o004) return true;
  if (groups.includes(logs.group) && mode & 0o040) return true;
  if (user === undefined)
    return `cannot prove it can: the pod spec names no runAsUser (the image decides), and no group of it may read files ${logs.mode} ${logs.owner}:${logs.group}`;
  if (user === logs.owner && mode & 0o400) return true;
  return `as user ${user} with groups [${groups.join(", ")}] it cannot read files ${logs.mode} ${logs.owner}:${logs.group} (platform contract)`;
}
