import { isCelList, isCelMap, isCelUint } from "@bufbuild/cel";
import type { Manifest } from "../../k8s/model-object.ts";
import { evaluate } from "../cel.ts";
import { desugarObjectConstruction } from "../cel-objects.ts";
import type { KyvernoConfig, PolicyFinding } from "./engine.ts";
import { exceptionsOf, grantOf } from "./exceptions.ts";
import { constraintsSelect } from "./match.ts";
import { type AdmissionRequest, requestBinding } from "./request.ts";

type Spec = Record<string, any>;
const MUTATING_KINDS = ["MutatingPolicy", "NamespacedMutatingPolicy"];

/**
 * What Kyverno 1.19's MutatingPolicies make of a request before anything validates it
 * (pkg/cel/policies/mpol/compiler/policy.go): each policy that selects it (a namespaced one only in
 * its namespace), unless an exception exempts it, applies its mutations in order. An apply configuration is merged as structured-merge-
 * diff merges one (compiler/smd.go): maps field by field; a list is replaced whole, which is how
 * atomic lists merge, and a list of named items (containers, env, volumes: keyed lists) is
 * "cannot prove". A JSON patch is applied as RFC 6902 says (add, replace, remove). Expressions this
 * environment cannot evaluate are "cannot prove".
 */
export function mutateRequest(
  request: AdmissionRequest,
  namespace: Manifest | null,
  config: KyvernoConfig,
): { request: AdmissionRequest; findings: PolicyFinding[] } {
  let current = request;
  const findings: PolicyFinding[] = [];
  for (const policy of config.policies) {
    if (!MUTATING_KINDS.includes(policy.kind) || !current.object) continue;
    if (policy.kind.startsWith("Namespaced") && policy.metadata?.namespace !== current.namespace) continue;
    const spec = (policy.spec ?? {}) as Spec;
    if (!constraintsSelect(spec.matchConstraints, current, namespace)) continue;
    const bindings = { object: current.object, request: requestBinding(current), namespaceObject: namespace };
    const finding = (message: string, cannotProve: boolean): PolicyFinding => ({
      policy: policy.metadata?.name as string,
      kind: policy.kind,
      actions: ["Deny"],
      message: cannotProve ? `cannot prove: ${message}` : message,
      ...(cannotProve ? { cannotProve: true as const } : {}),
    });
    const selected = selects(policy, bindings, config);
    if (selected !== true) {
      if (selected) findings.push(finding(selected.message, selected.cannotProve));
      continue;
    }
    for (const mutation of (spec.mutations ?? []) as Spec[]) {
      const applied = applyMutation(mutation, current.object as Manifest, bindings);
      if (typeof applied === "string") findings.push(finding(applied, true));
      else current = { ...current, object: applied };
    }
  }
  return { request: current, findings };
}

/**
 * Whether a selecting policy mutates this request: not when an exception exempts it fully or a
 * match condition is false. An exception or condition that fails to evaluate fails the request
 * (the webhook's failurePolicy, Fail unless it says Ignore), and one this environment cannot
 * evaluate is "cannot prove": never a silent skip.
 */
function selects(
  policy: Manifest,
  bindings: Record<string, unknown>,
  config: KyvernoConfig,
): true | false | { message: string; cannotProve: boolean } {
  const ignore = (policy.spec as Spec | undefined)?.failurePolicy === "Ignore";
  const grant = grantOf(exceptionsOf(policy, config.exceptions), bindings);
  if (grant.kind === "full") return false;
  if (grant.kind === "error")
    return grant.unsupported || !ignore ? { message: grant.message, cannotProve: grant.unsupported } : false;
  for (const c of ((policy.spec as Spec | undefined)?.matchConditions ?? []) as Spec[]) {
    const outcome = evaluate(c.expression, bindings);
    if (outcome.ok) {
      if (outcome.value !== true) return false;
      continue;
    }
    if (!outcome.unsupported && ignore) return false;
    return {
      message: `match condition "${c.name}": '${c.expression}' ${outcome.unsupported ? "cannot be evaluated here" : "fails to evaluate"} (${outcome.error})`,
      cannotProve: outcome.unsupported,
    };
  }
  return true;
}

function applyMutation(
  mutation: Spec,
  object: Manifest,
  bindings: Record<string, unknown>,
): Manifest | string {
  const json = mutation.patchType === "JSONPatch";
  if (!json && mutation.patchType !== "ApplyConfiguration")
    return `mutation patchType ${mutation.patchType} is not evaluated here`;
  const expression = String((json ? mutation.jsonPatch : mutation.applyConfiguration)?.expression ?? "");
  const outcome = evaluate(desugarObjectConstruction(expression), bindings);
  if (!outcome.ok) return `mutation '${expression.trim()}' cannot be evaluated here (${outcome.error})`;
  const patch = toJson(outcome.value);
  const result = json ? applyJsonPatch(object, patch) : merge(object, patch, "");
  return typeof result === "string" ? result : (result as Manifest);
}

/**
 * RFC 6902 `add`, `replace` and `remove` (what the API server's JSONPatch mutation applies, with
 * JSON pointers `~0`/`~1`); other operations are "cannot prove".
 */
function applyJsonPatch(object: Manifest, patch: unknown): Manifest | string {
  if (!Array.isArray(patch)) return "a JSON patch expression that is not a list";
  const doc = structuredClone(object) as Spec;
  for (const op of patch as Spec[]) {
    if (!["add", "replace", "remove"].includes(op.op))
      return `JSON patch op "${op.op}" is not evaluated here`;
    const keys = String(op.path ?? "")
      .split("/")
      .slice(1)
      .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = keys.pop();
    let parent: any = doc;
    for (const key of keys) parent = Array.isArray(parent) ? parent[Number(key)] : parent?.[key];
    if (last === undefined || !parent || typeof parent !== "object")
      return `JSON patch path "${op.path}" does not exist in the object`;
    if (Array.isArray(parent)) {
      const at = last === "-" ? parent.length : Number(last);
      if (op.op === "add") parent.splice(at, 0, op.value);
      else if (op.op === "replace") parent[at] = op.value;
      else parent.splice(at, 1);
    } else if (op.op === "remove") delete parent[last];
    else parent[last] = op.value;
  }
  return doc as Manifest;
}

/** Structured-merge-diff's merge of an apply configuration into the object, as described above. */
function merge(live: unknown, patch: unknown, path: string): unknown {
  if (Array.isArray(patch)) {
    if (patch.some((item) => item && typeof item === "object" && "name" in item))
      return `the apply configuration sets the keyed list ${path || "/"}, whose merge this proof does not model`;
    return patch;
  }
  if (!patch || typeof patch !== "object") return patch;
  const base = live && typeof live === "object" && !Array.isArray(live) ? (live as Spec) : {};
  const out: Spec = { ...base };
  for (const [key, value] of Object.entries(patch as Spec)) {
    const merged = merge(base[key], value, `${path}/${key}`);
    if (typeof merged === "string" && typeof value !== "string") return merged;
    out[key] = merged;
  }
  return out;
}

/** A CEL value as plain JSON (maps, lists, numbers). */
function toJson(value: unknown): unknown {
  if (isCelMap(value)) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJson(v)]));
  if (isCelList(value)) return [...value].map(toJson);
  if (isCelUint(value)) return Number(value.value);
  if (typeof value === "bigint") return Number(value);
  return value;
}
