import type { Manifest } from "../../k8s/model-object.ts";

type Spec = Record<string, any>;

interface Target {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/** The pod controllers Kyverno generates rules for, and where their pod template lives (pkg/cel/autogen/data.go). */
const CONTROLLERS: Record<string, Target & { readonly template: "defaults" | "cronjobs" }> = {
  daemonsets: { group: "apps", version: "v1", resource: "daemonsets", template: "defaults" },
  deployments: { group: "apps", version: "v1", resource: "deployments", template: "defaults" },
  replicasets: { group: "apps", version: "v1", resource: "replicasets", template: "defaults" },
  statefulsets: { group: "apps", version: "v1", resource: "statefulsets", template: "defaults" },
  jobs: { group: "batch", version: "v1", resource: "jobs", template: "defaults" },
  cronjobs: { group: "batch", version: "v1", resource: "cronjobs", template: "cronjobs" },
};
const REPLACEMENTS = {
  defaults: [
    ["spec", "spec.template.spec"],
    ["metadata", "spec.template.metadata"],
  ],
  cronjobs: [
    ["spec", "spec.jobTemplate.spec.template.spec"],
    ["metadata", "spec.jobTemplate.spec.template.metadata"],
  ],
} as const;

/** Whether Kyverno can generate controller rules from these constraints (pkg/cel/autogen/support.go). */
function canAutogen(match: Spec | undefined): boolean {
  if (!match) return false;
  const selector = match.objectSelector as Spec | undefined;
  if (Object.keys(selector?.matchLabels ?? {}).length || (selector?.matchExpressions ?? []).length)
    return false;
  if ((match.excludeResourceRules ?? []).length) return false;
  const rules = (match.resourceRules ?? []) as Spec[];
  if (rules.length !== 1) return false;
  const [rule] = rules as [Spec];
  if ((rule.resourceNames ?? []).length) return false;
  const only = (list: unknown, value: string) =>
    Array.isArray(list) && list.length === 1 && list[0] === value;
  return only(rule.apiGroups, "") && only(rule.apiVersions, "v1") && only(rule.resources, "pods");
}

/**
 * The policies Kyverno 1.19 generates from a pod policy for pod controllers
 * (pkg/cel/policies/vpol/autogen/autogen.go): one per template location, matching the controllers'
 * resources with the policy's operations and namespace selector, and every `object.spec` /
 * `object.metadata` (and `oldObject.…`) in the spec rewritten to the pod template's
 * (`….metadata.namespace` kept, pkg/cel/autogen/replacement.go).
 */
export function autogenPolicies(policy: Manifest): readonly Manifest[] {
  const known = GENERATED.get(policy);
  if (known) return known;
  const generated = generatePolicies(policy);
  GENERATED.set(policy, generated);
  return generated;
}

/** Each policy's generated variants, made once: every request of a run judges the same policy objects. */
const GENERATED = new WeakMap<Manifest, readonly Manifest[]>();

function generatePolicies(policy: Manifest): Manifest[] {
  const spec = (policy.spec ?? {}) as Spec;
  if (!canAutogen(spec.matchConstraints)) return [];
  const controllers =
    (spec.autogen?.podControllers?.controllers as string[] | undefined) ?? Object.keys(CONTROLLERS);
  const byTemplate = new Map<string, Target[]>();
  for (const name of controllers) {
    const c = CONTROLLERS[name];
    if (c) byTemplate.set(c.template, [...(byTemplate.get(c.template) ?? []), c]);
  }
  const operations = spec.matchConstraints.resourceRules[0].operations;
  return [...byTemplate.keys()].sort().map((template) => {
    const targets = byTemplate.get(template) ?? [];
    const rewritten = {
      ...spec,
      matchConstraints: constraintsFor(targets, operations, spec.matchConstraints.namespaceSelector),
    };
    let text = JSON.stringify(rewritten);
    for (const [from, to] of REPLACEMENTS[template as keyof typeof REPLACEMENTS])
      for (const root of ["object", "oldObject"])
        text = replaceProtected(text, `${root}.${from}`, `${root}.${to}`);
    return { ...policy, spec: JSON.parse(text) } as Manifest;
  });
}

function constraintsFor(targets: readonly Target[], operations: unknown, namespaceSelector: unknown): Spec {
  const byGroupVersion = new Map<string, Set<string>>();
  for (const t of targets) {
    const key = `${t.group}/${t.version}`;
    byGroupVersion.set(key, (byGroupVersion.get(key) ?? new Set()).add(t.resource));
  }
  const resourceRules = [...byGroupVersion.keys()].sort().map((key) => {
    const [group, version] = key.split("/") as [string, string];
    return {
      apiGroups: [group],
      apiVersions: [version],
      resources: [...(byGroupVersion.get(key) ?? [])].sort(),
      operations,
    };
  });
  return { resourceRules, ...(namespaceSelector ? { namespaceSelector } : {}) };
}

/** Every `from` replaced by `to`, except where `.namespace` (a whole identifier) follows. */
function replaceProtected(text: string, from: string, to: string): string {
  let out = "";
  let rest = text;
  for (let at = rest.indexOf(from); at >= 0; at = rest.indexOf(from)) {
    const after = rest.slice(at + from.length);
    const protectedNamespace = /^\.namespace(?![A-Za-z0-9_])/.test(after);
    out += rest.slice(0, at) + (protectedNamespace ? from : to);
    rest = after;
  }
  return out + rest;
}
