import { evaluateCrdRule } from "../admission/cel.ts";
import type { CrdRule, RuleNode } from "./crd-rules.ts";

/**
 * Checks a custom resource, its defaults filled in (withDefaults), as the API server does after its
 * OpenAPI schema passed (k8s.io/apiextensions-apiserver pkg/apiserver/schema, v0.35): the uniqueness
 * of set and map lists (listtype/validation.go), then every CEL rule on every present, non-null value (cel/validation.go): `self` is the value, a rule
 * that does not return true fails with its message (or messageExpression) at its field path, a rule
 * that errors fails too. Transition rules (`oldSelf`) run only on updates: a rendered object is judged
 * as created, as a new object is. What this CEL environment lacks is "cannot prove", never a pass.
 */
export function crdRuleViolations(defaultedObject: unknown, tree: RuleNode): string[] {
  const problems: string[] = [];
  check(defaultedObject, tree, "", problems);
  return problems;
}

/** A copy of the object with the CRD's defaults filled in, as the API server decodes a request. */
export function withDefaults(manifest: unknown, tree: RuleNode): unknown {
  const object = structuredClone(manifest);
  applyDefaults(object, tree);
  return object;
}

/** Fills in every absent field that has a default, inside present values and inside defaults too. */
function applyDefaults(value: unknown, node: RuleNode): void {
  if (Array.isArray(value)) {
    if (node.items) for (const item of value) applyDefaults(item, node.items);
  } else if (isObject(value)) {
    for (const [name, sub] of Object.entries(node.properties ?? {})) {
      if (value[name] === undefined && sub.default !== undefined) value[name] = structuredClone(sub.default);
      if (value[name] !== undefined) applyDefaults(value[name], sub);
    }
    if (node.additionalProperties)
      for (const [name, item] of Object.entries(value))
        if (!node.properties?.[name]) applyDefaults(item, node.additionalProperties);
  }
  for (const sub of node.allOf ?? []) applyDefaults(value, sub);
}

function check(value: unknown, node: RuleNode, path: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  for (const rule of node.rules ?? []) {
    const problem = ruleProblem(rule, value, node, path);
    if (problem) problems.push(problem);
  }
  for (const sub of node.allOf ?? []) check(value, sub, path, problems);
  if (Array.isArray(value)) {
    problems.push(...listProblems(value, node, path));
    if (node.items)
      for (const [i, item] of value.entries()) check(item, node.items, `${path}[${i}]`, problems);
  } else if (isObject(value)) {
    for (const [name, item] of Object.entries(value)) {
      const sub = node.properties?.[name];
      if (sub) check(item, sub, `${path}.${name}`, problems);
      else if (node.additionalProperties)
        check(item, node.additionalProperties, `${path}[${JSON.stringify(name)}]`, problems);
    }
  }
}

function ruleProblem(rule: CrdRule, value: unknown, node: RuleNode, path: string): string | undefined {
  const usesOldSelf = /\boldSelf\b/.test(rule.rule);
  if (usesOldSelf && !rule.optionalOldSelf) return undefined; // a transition rule: updates only
  const at = rule.fieldPath
    ? `${path}${rule.fieldPath.startsWith("[") ? "" : "."}${rule.fieldPath.replace(/^\./, "")}`
    : path;
  const where = at.replace(/^\./, "") || "<root>";
  if (usesOldSelf)
    return `${where}: cannot prove: rule \`${oneLine(rule.rule)}\` reads oldSelf (optionalOldSelf), which a new object does not have here`;
  const self = toCel(value, node);
  const outcome = evaluateCrdRule(rule.rule, { self });
  if (!outcome.ok) {
    if (outcome.unsupported)
      return `${where}: cannot prove: rule \`${oneLine(rule.rule)}\` needs what this proof's CEL environment lacks (${outcome.error})`;
    return `${where}: Invalid value: ${outcome.error} evaluating rule: ${ruleText(rule)}`;
  }
  if (outcome.value === true) return undefined;
  return `${where}: ${reasonText(rule, value, node, self)}`;
}

function reasonText(rule: CrdRule, value: unknown, node: RuleNode, self: unknown): string {
  let detail = rule.message?.trim() || `failed rule: ${ruleText(rule)}`;
  if (rule.messageExpression) {
    const message = evaluateCrdRule(rule.messageExpression, { self });
    if (message.ok && typeof message.value === "string" && message.value.trim() && !/\n/.test(message.value))
      detail = message.value.trim();
  }
  switch (rule.reason) {
    case "FieldValueForbidden":
      return `Forbidden: ${detail}`;
    case "FieldValueRequired":
      return `Required value: ${detail}`;
    case "FieldValueDuplicate":
      return `Duplicate value: ${shown(value, node)}`;
    default:
      return `Invalid value: ${shown(value, node)}: ${detail}`;
  }
}

/** Duplicates in a set list, or two items of a map list with the same keys (listtype/validation.go). */
function listProblems(list: unknown[], node: RuleNode, path: string): string[] {
  if (!node.listType) return [];
  const identity =
    node.listType === "set"
      ? (item: unknown) => JSON.stringify(item)
      : (item: unknown) =>
          JSON.stringify((node.listMapKeys ?? []).map((key) => (isObject(item) ? item[key] : null)));
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const [i, item] of list.entries()) {
    const key = identity(item);
    if (seen.has(key)) problems.push(`${path.replace(/^\./, "")}[${i}]: Duplicate value: ${key}`);
    seen.add(key);
  }
  return problems;
}

/**
 * A JSON value as CEL sees it: declared property names escaped as the API server escapes them (or
 * dropped when CEL cannot name them); the keys of maps (additionalProperties) stay as they are.
 */
function toCel(value: unknown, node: RuleNode | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => toCel(item, node?.items));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const renamed = node?.renamed?.[name];
    if (renamed === null) continue;
    out[renamed ?? name] = toCel(item, node?.properties?.[name] ?? node?.additionalProperties);
  }
  return out;
}

const ruleText = (rule: CrdRule) => rule.message?.trim() || rule.rule.trim();
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
const shown = (value: unknown, node: RuleNode) =>
  node.type === "object" || node.type === "array" ? `"${node.type}"` : JSON.stringify(value);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
