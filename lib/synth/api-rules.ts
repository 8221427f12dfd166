import { containersOf, podOf } from "../hydrate/pods.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { objectApiProblems } from "./api-rules-objects.ts";

/**
 * The API server's own rules for names, labels, keys and quantities, checked on each rendered object
 * so that synth refuses what `kubectl apply` would: the backstop behind the inventory schema.
 */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const LABEL_PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** Name rules stricter than a DNS subdomain, by kind (the controllers derive longer names from them). */
const NAME_RULES: Record<string, { re: RegExp; max: number; what: string }> = {
  Namespace: { re: DNS_LABEL, max: 63, what: "a DNS-1123 label" },
  Service: { re: DNS_1035, max: 63, what: "a DNS-1035 label (starting with a letter)" },
  // The CronJob controller appends an 11-character suffix to name its Jobs.
  CronJob: { re: DNS_LABEL, max: 52, what: "a DNS-1123 label of at most 52 characters" },
};

function labelProblems(labels: Record<string, unknown> | undefined, where: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const [prefix, name] = key.includes("/") ? key.split("/", 2) : [undefined, key];
    if ((prefix !== undefined && !LABEL_PREFIX.test(prefix)) || !LABEL_NAME.test(name ?? ""))
      problems.push(`${where} key "${key}" is not a valid label key`);
    if (typeof value !== "string" || (value !== "" && !LABEL_NAME.test(value)))
      problems.push(
        `${where} "${key}" has value "${String(value)}", not a valid label value (at most 63, alphanumeric at both ends)`,
      );
  }
  return problems;
}

export function apiServerProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  const name = manifest.metadata?.name ?? "";
  const rule = NAME_RULES[manifest.kind];
  if (rule && (!rule.re.test(name) || name.length > rule.max))
    problems.push(
      `metadata.name "${name}" (${name.length} characters) must be ${rule.what}, at most ${rule.max}`,
    );
  problems.push(...labelProblems(manifest.metadata?.labels, "metadata.labels"));
  const spec = manifest.spec as Record<string, any> | undefined;
  problems.push(...labelProblems(spec?.selector?.matchLabels, "spec.selector.matchLabels"));
  const pod = podOf(manifest);
  if (pod && pod !== manifest) problems.push(...labelProblems(pod.metadata?.labels, "pod template labels"));
  if (manifest.kind === "ConfigMap" || manifest.kind === "Secret")
    for (const field of ["data", "stringData", "binaryData"])
      for (const key of Object.keys((manifest[field] as object) ?? {}))
        if (!CONFIG_KEY.test(key) || key === "." || key === "..")
          problems.push(`${field} key "${key}" is not a valid key ([-._a-zA-Z0-9], at most 253)`);
  if (pod)
    for (const { container } of containersOf(pod))
      for (const kind of ["requests", "limits"])
        for (const [resource, value] of Object.entries(container.resources?.[kind] ?? {}))
          if (resource === "memory" && /m$/.test(String(value)))
            problems.push(
              `container "${container.name}" ${kind}.memory "${value}" is in thousandths of a byte; use Mi or Gi`,
            );
  problems.push(...objectApiProblems(manifest));
  return problems;
}
