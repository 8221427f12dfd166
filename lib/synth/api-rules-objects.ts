import { containersOf, podOf } from "../hydrate/pods.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { QUANTITY, quantity } from "../rules/resources.ts";

type Spec = Record<string, any>;

/** apimachinery's limits: all annotations of an object together, a ConfigMap's data. */
const ANNOTATIONS_MAX = 256 * 1024;
const CONFIGMAP_MAX = 1024 * 1024;
const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"];
const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"];

/**
 * More of the API server's validation (apimachinery and the core API's validation.go) on each object,
 * so synth and validate refuse what `kubectl apply` would, hand-edited dist/ included: sizes, keys,
 * duplicate containers and mount paths, probe handlers, quantities, typed Secrets, volume sizes,
 * cron schedules and HTTPRoute paths (the Gateway API CRD's own rules).
 */
export function objectApiProblems(manifest: Manifest): string[] {
  return [...sizeProblems(manifest), ...typedProblems(manifest), ...podProblems(manifest)];
}

function sizeProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  const annotations = Object.entries(manifest.metadata?.annotations ?? {});
  const size = annotations.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
  if (size > ANNOTATIONS_MAX)
    problems.push(`metadata.annotations total ${size} bytes, over the API server's ${ANNOTATIONS_MAX}`);
  if (manifest.kind === "ConfigMap") {
    const data = [manifest.data, manifest.binaryData].flatMap((d) => Object.values((d as Spec) ?? {}));
    const bytes = data.reduce((n: number, v) => n + Buffer.byteLength(String(v)), 0);
    if (bytes > CONFIGMAP_MAX)
      problems.push(`data is ${bytes} bytes; a ConfigMap holds at most ${CONFIGMAP_MAX}`);
  }
  if (manifest.kind === "ConfigMap" || manifest.kind === "Secret")
    for (const field of ["data", "stringData", "binaryData"])
      for (const key of Object.keys((manifest[field] as object) ?? {}))
        if (key.startsWith(".."))
          problems.push(`${field} key "${key}" starts with "..", which a mounted volume reserves for itself`);
  return problems;
}

function typedProblems(manifest: Manifest): string[] {
  const spec = (manifest.spec ?? {}) as Spec;
  const problems: string[] = [];
  if (manifest.kind === "Secret" && (manifest as Spec).type === "kubernetes.io/tls") {
    const keys = new Set([
      ...Object.keys((manifest.data as Spec) ?? {}),
      ...Object.keys((manifest.stringData as Spec) ?? {}),
    ]);
    for (const key of ["tls.crt", "tls.key"])
      if (!keys.has(key)) problems.push(`a kubernetes.io/tls Secret needs ${key}`);
  }
  const claims =
    manifest.kind === "PersistentVolumeClaim"
      ? [spec]
      : ((spec.volumeClaimTemplates ?? []) as Spec[]).map((t) => t.spec ?? {});
  for (const claim of claims) {
    const storage = claim.resources?.requests?.storage;
    if (storage !== undefined && (!QUANTITY.test(String(storage)) || quantity(String(storage)) <= 0))
      problems.push(`storage request "${storage}" must be a quantity greater than zero`);
  }
  if (manifest.kind === "CronJob") {
    const why = cronProblem(String(spec.schedule ?? ""));
    if (why) problems.push(`schedule "${spec.schedule}": ${why}`);
  }
  if (manifest.kind === "HTTPRoute")
    for (const rule of (spec.rules ?? []) as Spec[])
      for (const match of (rule.matches ?? []) as Spec[]) {
        const path = match.path?.value as string | undefined;
        if (path && /\/\/|\/\.\.?(\/|$)|%2f|#/i.test(path))
          problems.push(
            `path "${path}" must not contain "//", "/./", "/../", "%2f" or "#" (the HTTPRoute CRD's rule)`,
          );
      }
  return problems;
}

const CRON_FIELDS: readonly [string, number, number][] = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day of month", 1, 31],
  ["month", 1, 12],
  ["day of week", 0, 7],
];

/** A five-field cron schedule (or a macro) as the CronJob controller parses it. */
export function cronProblem(schedule: string): string | undefined {
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(schedule)) return undefined;
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return "needs five fields (minute hour day-of-month month day-of-week)";
  for (const [i, field] of fields.entries()) {
    const [name, min, max] = CRON_FIELDS[i] as [string, number, number];
    for (const part of field.split(",")) {
      const [range = "", step] = part.split("/");
      if (step !== undefined && !/^[1-9][0-9]*$/.test(step))
        return `${name} step "${step}" is not a positive number`;
      if (range === "*" || range === "?") continue;
      const bounds = range.split("-").map((n) => (/^[0-9]+$/.test(n) ? Number(n) : Number.NaN));
      if (bounds.length > 2 || bounds.some((n) => Number.isNaN(n) || n < min || n > max))
        return `${name} "${part}" is outside ${min}-${max}`;
    }
  }
  return undefined;
}

function podProblems(manifest: Manifest): string[] {
  const pod = podOf(manifest);
  if (!pod) return [];
  const problems: string[] = [];
  const names = new Set<string>();
  for (const { container } of containersOf(pod)) {
    const where = `container "${container.name}"`;
    if (names.has(container.name)) problems.push(`${where} is named twice in the pod`);
    names.add(container.name);
    const paths = ((container.volumeMounts ?? []) as Spec[]).map((m) => m.mountPath);
    for (const path of paths.filter((p, i) => paths.indexOf(p) !== i))
      problems.push(`${where} mounts two volumes at ${path}`);
    for (const probe of PROBES) {
      const handlers = PROBE_HANDLERS.filter((h) => container[probe]?.[h] !== undefined);
      if (handlers.length > 1)
        problems.push(
          `${where} ${probe} has ${handlers.length} handlers (${handlers.join(", ")}); exactly one`,
        );
    }
    for (const kind of ["requests", "limits"])
      for (const [resource, value] of Object.entries((container.resources?.[kind] ?? {}) as Spec))
        if (!QUANTITY.test(String(value)))
          problems.push(`${where} ${kind}.${resource} "${value}" is not a quantity`);
  }
  return problems;
}
