import { containersOf, podOf } from "../../hydrate/pods.ts";
import type { Manifest } from "../../k8s/model-object.ts";
import { type CelOutcome, evaluate } from "../cel.ts";
import { autogenPolicies } from "./autogen.ts";
import { exceptionsOf, grantOf } from "./exceptions.ts";
import { constraintsSelect } from "./match.ts";
import { mutateRequest } from "./mutate.ts";
import { type AdmissionRequest, requestBinding } from "./request.ts";
import { IMAGE_KINDS, VALIDATING_KINDS } from "./served.ts";

type Spec = Record<string, any>;

/** What Kyverno on one cluster judges requests by: its policies, exceptions and resource filters. */
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
  /** The proof cannot tell what Kyverno decides here (an expression this environment cannot evaluate). */
  readonly cannotProve?: true;
}

type Verdict = { message: string; cannotProve?: true } | undefined;

/**
 * What Kyverno 1.19 decides for one admission request, after its MutatingPolicies (mutate.ts): every ValidatingPolicy (and the rules it
 * autogenerates for pod controllers) and ImageValidatingPolicy that selects it, each giving at most one
 * finding, as pkg/cel/policies/vpol (compiler/policy.go, engine/engine.go) evaluates them.
 */
export function judgeRequest(
  incoming: AdmissionRequest,
  namespace: Manifest | null,
  config: KyvernoConfig,
): PolicyFinding[] {
  if (filtered(incoming, config.resourceFilters)) return [];
  // Mutating admission comes first: the validating policies judge the mutated object.
  const { request, findings } = mutateRequest(incoming, namespace, config);
  for (const policy of config.policies) {
    const validating = VALIDATING_KINDS.includes(policy.kind);
    if (!validating && !IMAGE_KINDS.includes(policy.kind)) continue;
    const spec = (policy.spec ?? {}) as Spec;
    if (policy.kind.startsWith("Namespaced") && policy.metadata?.namespace !== request.namespace) continue;
    if (spec.evaluation?.admission?.enabled === false) continue;
    const variants = validating ? [policy, ...autogenPolicies(policy)] : [policy];
    for (const variant of variants) {
      const verdict = judgeOne(variant, request, namespace, config);
      if (verdict)
        findings.push({
          policy: policy.metadata?.name as string,
          kind: policy.kind,
          actions: spec.validationActions?.length ? spec.validationActions : ["Deny"],
          ...verdict,
        });
    }
  }
  return findings;
}

function judgeOne(
  policy: Manifest,
  request: AdmissionRequest,
  namespace: Manifest | null,
  config: KyvernoConfig,
): Verdict {
  const spec = (policy.spec ?? {}) as Spec;
  if (!constraintsSelect(spec.matchConstraints, request, namespace)) return undefined;
  const bindings: Record<string, unknown> = {
    object: request.object,
    oldObject: request.oldObject,
    request: requestBinding(request),
    namespaceObject: namespace,
  };
  // The API server evaluates the policy's match conditions (Kyverno copies them into its webhook).
  for (const c of (spec.matchConditions ?? []) as Spec[]) {
    const outcome = evaluate(c.expression, bindings);
    if (!outcome.ok) {
      if (outcome.unsupported) return cannotProve(`match condition "${c.name}"`, c.expression, outcome);
      if (spec.failurePolicy === "Ignore") return undefined;
      return {
        message: `match condition "${c.name}": expression '${c.expression}' resulted in error: ${outcome.error}`,
      };
    }
    if (outcome.value !== true) return undefined;
  }
  const grant = grantOf(exceptionsOf(policy, config.exceptions), bindings);
  if (grant.kind === "full") return undefined;
  if (grant.kind === "error")
    return grant.unsupported
      ? { message: `cannot prove: ${grant.message}`, cannotProve: true }
      : { message: grant.message };
  bindings.exceptions = { allowedImages: grant.allowedImages, allowedValues: grant.allowedValues };
  return IMAGE_KINDS.includes(policy.kind)
    ? imageVerdict(spec, request, bindings)
    : validationVerdict(spec, bindings);
}

const cannotProve = (where: string, expression: string, outcome: CelOutcome): Verdict => ({
  message: `cannot prove: ${where}: '${expression}' cannot be evaluated here (${outcome.ok ? "" : outcome.error})`,
  cannotProve: true,
});

/** Variables, then validations in order: the first that errors or is false decides (with its message). */
function validationVerdict(spec: Spec, bindings: Record<string, unknown>): Verdict {
  const variables: Record<string, unknown> = {};
  const unsupported = new Map<string, { expression: string; outcome: CelOutcome }>();
  const unsupportedIn = (expression: string) =>
    [...unsupported.keys()].find((name) => new RegExp(`variables\\.${name}\\b`).test(expression));
  for (const v of (spec.variables ?? []) as Spec[]) {
    // a variable built on one this environment cannot evaluate cannot be evaluated either
    const on = unsupportedIn(v.expression);
    if (on) {
      unsupported.set(v.name, unsupported.get(on) as { expression: string; outcome: CelOutcome });
      continue;
    }
    const outcome = evaluate(v.expression, { ...bindings, variables });
    if (outcome.ok) variables[v.name] = outcome.value;
    else if (outcome.unsupported) unsupported.set(v.name, { expression: v.expression, outcome });
  }
  const scope = { ...bindings, variables };
  for (const [index, v] of ((spec.validations ?? []) as Spec[]).entries()) {
    const missing = unsupportedIn(`${v.expression} ${v.messageExpression ?? ""}`);
    if (missing) {
      const { expression, outcome } = unsupported.get(missing) as { expression: string; outcome: CelOutcome };
      return cannotProve(`variable "${missing}"`, expression, outcome);
    }
    const outcome = evaluate(v.expression, scope);
    if (!outcome.ok)
      return outcome.unsupported
        ? cannotProve(`validation ${index}`, v.expression, outcome)
        : { message: `error: ${outcome.error}` };
    if (outcome.value === true) continue;
    return { message: messageOf(v, index, scope) };
  }
  return undefined;
}

function messageOf(v: Spec, index: number, scope: Record<string, unknown>): string {
  if (v.messageExpression) {
    const outcome = evaluate(v.messageExpression, scope);
    if (!outcome.ok) return `failed to evaluate message expression: ${outcome.error}`;
    if (typeof outcome.value === "string" && outcome.value !== "") return outcome.value;
  }
  return v.message || `CEL expression validation failed at index ${index}`;
}

/**
 * ImageValidatingPolicy on a pod: every image matching `matchImageReferences` must be passed to a
 * signature check by the validations (with `required`, an image left out is denied), and with
 * `verifyDigest` but no `mutateDigest` it must already be a digest. Signatures live in the registry.
 */
function imageVerdict(spec: Spec, request: AdmissionRequest, bindings: Record<string, unknown>): Verdict {
  const pod = request.object ? podOf(request.object) : undefined;
  if (!pod) return undefined;
  const globs = ((spec.matchImageReferences ?? []) as Spec[]).map((r) => r.glob as string).filter(Boolean);
  const images: Record<string, string[]> = { containers: [], initContainers: [], ephemeralContainers: [] };
  for (const { list, container } of containersOf(pod)) images[list]?.push(container.image);
  const attestors = Object.fromEntries(((spec.attestors ?? []) as Spec[]).map((a) => [a.name, a.name]));
  const verified = new Set<string>();
  const failures: string[] = [];
  for (const v of (spec.validations ?? []) as Spec[]) {
    const outcome = evaluate(v.expression, { ...bindings, images, attestors }, verified);
    if (!outcome.ok && outcome.unsupported) return cannotProve("image validation", v.expression, outcome);
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
  return failures.length ? { message: failures.join("; ") } : undefined;
}

export function glob(pattern: string, value: string): boolean {
  let compiled = GLOBS.get(pattern);
  if (!compiled) {
    const source = pattern
      .replace(/[.+^${}()|\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    compiled = new RegExp(`^${source}$`);
    GLOBS.set(pattern, compiled);
  }
  return compiled.test(value);
}
const GLOBS = new Map<string, RegExp>();

/** Kyverno's resourceFilters: `[Kind,Namespace,Name]`, globs, `*` for any. */
function filtered(request: AdmissionRequest, filters: KyvernoConfig["resourceFilters"]): boolean {
  return filters.some(
    ([kind, namespace, name]) =>
      (kind === "*/*" || glob(kind, request.kind.kind)) &&
      glob(namespace || "*", request.namespace) &&
      glob(name || "*", request.name),
  );
}
