import { containersOf } from "../hydrate/pods.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { evaluate } from "./cel.ts";
import { type LabelSelector, selectorMatches } from "./label-selector.ts";

type Spec = Record<string, any>;

/** What Kyverno on one cluster admits pods by: its policies, exceptions and resource filters. */
export interface KyvernoConfig {
  readonly policies: readonly Manifest[];
  readonly exceptions: readonly Manifest[];
  /** `[Kind,Namespace,Name]` triples from Kyverno's ConfigMap: requests Kyverno never looks at. */
  readonly resourceFilters: readonly (readonly [string, string, string])[];
}

export interface PolicyFinding {
  readonly policy: string;
  readonly kind: string;
  readonly actions: readonly string[];
  readonly message: string;
}

const POLICY_GROUP = "policies.kyverno.io/v1";

/** Parses Kyverno's `resourceFilters` setting (`[Kind,Namespace,Name] …`). */
export function parseResourceFilters(value: string | undefined): [string, string, string][] {
  return [...(value ?? "").matchAll(/\[([^\]]*)\]/g)].map((m) => {
    const [kind = "", namespace = "", name = ""] = (m[1] as string).split(",").map((s) => s.trim());
    return [kind, namespace, name];
  });
}

const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(value);

function filtered(pod: Manifest, filters: KyvernoConfig["resourceFilters"]): boolean {
  return filters.some(
    ([kind, namespace, name]) =>
      (kind === "*/*" || glob(kind, "Pod")) &&
      glob(namespace || "*", pod.metadata?.namespace ?? "") &&
      glob(name || "*", pod.metadata?.name ?? ""),
  );
}

function rulesMatchPodCreate(rules: readonly Spec[] | undefined): boolean {
  return (rules ?? []).some(
    (r) =>
      (r.apiGroups ?? []).some((g: string) => g === "" || g === "*") &&
      (r.resources ?? []).some((x: string) => x === "pods" || x === "*") &&
      (r.operations ?? []).some((o: string) => o === "CREATE" || o === "*"),
  );
}

function bindings(pod: Manifest, namespaceLabels: Record<string, string>): Record<string, unknown> {
  const namespace = pod.metadata?.namespace ?? "";
  return {
    object: pod,
    oldObject: null,
    request: {
      operation: "CREATE",
      namespace,
      name: pod.metadata?.name ?? "",
      kind: { group: "", version: "v1", kind: "Pod" },
    },
    namespaceObject: { metadata: { name: namespace, labels: namespaceLabels } },
  };
}

/** Whether `policy` selects this pod: resource rules, exclusions, selectors, match conditions. */
function selects(
  policy: Manifest,
  pod: Manifest,
  namespaceLabels: Record<string, string>,
  vars: Record<string, unknown>,
) {
  const spec = (policy.spec ?? {}) as Spec;
  const match = (spec.matchConstraints ?? {}) as Spec;
  if (!rulesMatchPodCreate(match.resourceRules)) return false;
  if (rulesMatchPodCreate(match.excludeResourceRules)) return false;
  if (!selectorMatches(match.namespaceSelector as LabelSelector | undefined, namespaceLabels)) return false;
  if (!selectorMatches(match.objectSelector as LabelSelector | undefined, pod.metadata?.labels ?? {}))
    return false;
  return conditionsHold(spec.matchConditions, vars);
}

/** All conditions true; or the first condition that fails to evaluate, with its error. */
function conditionsHold(
  conditions: readonly Spec[] | undefined,
  vars: Record<string, unknown>,
): boolean | { error: string } {
  for (const c of conditions ?? []) {
    const outcome = evaluate(c.expression, vars);
    if (!outcome.ok)
      return { error: `condition "${c.name ?? c.expression}" fails to evaluate: ${outcome.error}` };
    if (outcome.value !== true) return false;
  }
  return true;
}

/**
 * Whether an exception exempts the pod from the policy: only when every condition of an exception that
 * names it holds. A condition that fails to evaluate proves nothing: the exception does not exempt
 * (fail closed), and the policy judges the pod.
 */
function exempted(policy: Manifest, config: KyvernoConfig, vars: Record<string, unknown>): boolean {
  return config.exceptions.some((ex) => {
    const spec = (ex.spec ?? {}) as Spec;
    const refers = (spec.policyRefs ?? []).some(
      (r: Spec) => r.name === policy.metadata?.name && r.kind === policy.kind,
    );
    return (
      refers && (spec.matchConditions ?? []).length > 0 && conditionsHold(spec.matchConditions, vars) === true
    );
  });
}

/**
 * What Kyverno decides for a pod at creation: every ValidatingPolicy and ImageValidatingPolicy that
 * selects it, with its CEL evaluated, unless a PolicyException exempts it or a resource filter hides it.
 */
export function kyvernoFindings(
  pod: Manifest,
  namespaceLabels: Record<string, string>,
  config: KyvernoConfig,
): PolicyFinding[] {
  if (filtered(pod, config.resourceFilters)) return [];
  const base = bindings(pod, namespaceLabels);
  const findings: PolicyFinding[] = [];
  for (const policy of config.policies) {
    if (policy.apiVersion !== POLICY_GROUP) continue;
    if (policy.kind !== "ValidatingPolicy" && policy.kind !== "ImageValidatingPolicy") continue;
    const spec = (policy.spec ?? {}) as Spec;
    const vars = { ...base, variables: variablesOf(spec, base) };
    const selected = selects(policy, pod, namespaceLabels, vars);
    if (selected === false || exempted(policy, config, vars)) continue;
    // A match condition that errors: with failurePolicy Fail (the default) the request is refused.
    if (selected !== true && spec.failurePolicy === "Ignore") continue;
    const messages =
      selected !== true
        ? [`cannot prove the policy does not apply: match ${selected.error} (failurePolicy Fail refuses)`]
        : policy.kind === "ValidatingPolicy"
          ? validationFailures(spec, vars)
          : imageFailures(spec, pod, vars);
    for (const message of messages)
      findings.push({
        policy: policy.metadata?.name as string,
        kind: policy.kind,
        actions: spec.validationActions ?? ["Deny"],
        message,
      });
  }
  return findings;
}

function variablesOf(spec: Spec, base: Record<string, unknown>): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const v of (spec.variables ?? []) as Spec[]) {
    const outcome = evaluate(v.expression, { ...base, variables });
    if (outcome.ok) variables[v.name] = outcome.value;
  }
  return variables;
}

function validationFailures(spec: Spec, vars: Record<string, unknown>): string[] {
  return ((spec.validations ?? []) as Spec[]).flatMap((v) => {
    const outcome = evaluate(v.expression, vars);
    if (!outcome.ok) return [`expression fails to evaluate: ${outcome.error}`];
    return outcome.value === true ? [] : [v.message ?? v.expression];
  });
}

/**
 * ImageValidatingPolicy: every image matching `matchImageReferences` must be passed to a signature
 * check by the validations (with `required`, an image left out is denied), and with `verifyDigest`
 * but no `mutateDigest` it must already be a digest. Signatures themselves live in the registry.
 */
function imageFailures(spec: Spec, pod: Manifest, vars: Record<string, unknown>): string[] {
  const globs = ((spec.matchImageReferences ?? []) as Spec[]).map((r) => r.glob as string).filter(Boolean);
  const images: Record<string, string[]> = { containers: [], initContainers: [], ephemeralContainers: [] };
  for (const { list, container } of containersOf(pod)) images[list]?.push(container.image);
  const attestors = Object.fromEntries(((spec.attestors ?? []) as Spec[]).map((a) => [a.name, a.name]));
  const verified = new Set<string>();
  const failures: string[] = [];
  for (const v of (spec.validations ?? []) as Spec[]) {
    const outcome = evaluate(v.expression, { ...vars, images, attestors }, verified);
    if (!outcome.ok) failures.push(`expression fails to evaluate: ${outcome.error}`);
    else if (outcome.value !== true) failures.push(v.message ?? v.expression);
  }
  const config = (spec.validationConfigurations ?? {}) as Spec;
  const matched = Object.values(images)
    .flat()
    .filter((image) => globs.some((g) => glob(g, image)));
  for (const image of matched) {
    if (config.required !== false && !verified.has(image))
      failures.push(`image ${image} is never verified, and verification is required`);
    if (config.verifyDigest && !config.mutateDigest && !image.includes("@sha256:"))
      failures.push(`image ${image} is not a digest, and verifyDigest is set without mutateDigest`);
  }
  return failures;
}

/** A Kyverno policy that selects a pod, with what it does there and whether the pod passes it. */
export interface SelectingPolicy {
  readonly policy: string;
  readonly kind: string;
  readonly actions: readonly string[];
  readonly exempt: boolean;
}

/** Every Kyverno policy (validating, image, mutating) that selects this pod at creation. */
export function policiesSelecting(
  pod: Manifest,
  namespaceLabels: Record<string, string>,
  config: KyvernoConfig,
): SelectingPolicy[] {
  if (filtered(pod, config.resourceFilters)) return [];
  const base = bindings(pod, namespaceLabels);
  return config.policies
    .filter(
      (p) => p.apiVersion === POLICY_GROUP && /^(Validating|ImageValidating|Mutating)Policy$/.test(p.kind),
    )
    .flatMap((policy) => {
      const spec = (policy.spec ?? {}) as Spec;
      const vars = { ...base, variables: variablesOf(spec, base) };
      if (!selects(policy, pod, namespaceLabels, vars)) return [];
      return [
        {
          policy: policy.metadata?.name as string,
          kind: policy.kind,
          actions: policy.kind === "MutatingPolicy" ? ["Mutate"] : (spec.validationActions ?? ["Deny"]),
          exempt: exempted(policy, config, vars),
        },
      ];
    });
}
