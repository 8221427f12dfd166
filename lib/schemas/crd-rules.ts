import { celIdentifier } from "./crd-rule-names.ts";

/**
 * What the API server checks of a custom resource beyond its OpenAPI schema, read from the CRD's
 * structural schema: the CEL rules (`x-kubernetes-validations`), the defaults it fills in before they
 * run, and the uniqueness of `x-kubernetes-list-type` set and map lists. Only the parts of a schema
 * that hold any of these are kept, so a CRD without them costs nothing per object.
 */
export interface CrdRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?:
    | "FieldValueInvalid"
    | "FieldValueForbidden"
    | "FieldValueRequired"
    | "FieldValueDuplicate";
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

export interface RuleNode {
  /** The node's own `type` (the API server reports an object's or array's failure without its value). */
  readonly type?: string;
  readonly rules?: readonly CrdRule[];
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, RuleNode>>;
  readonly items?: RuleNode;
  readonly additionalProperties?: RuleNode;
  readonly allOf?: readonly RuleNode[];
  readonly listType?: "set" | "map";
  readonly listMapKeys?: readonly string[];
  /** Property names CEL reads under another name (`namespace` as `__namespace__`), or not at all (null). */
  readonly renamed?: Readonly<Record<string, string | null>>;
}

type Schema = { readonly [key: string]: unknown };

/** The rule tree of one version's `openAPIV3Schema`, or undefined when it has nothing to check. */
export function ruleTree(schema: Schema): RuleNode | undefined {
  const node: {
    -readonly [K in keyof RuleNode]: RuleNode[K];
  } = {};
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties) {
    const kept = Object.entries(properties).flatMap(([name, sub]) => {
      const tree = ruleTree(sub);
      return tree ? [[name, tree] as const] : [];
    });
    if (kept.length > 0) node.properties = Object.fromEntries(kept);
    const renamed = Object.keys(properties).flatMap((name) => {
      const identifier = celIdentifier(name) ?? null;
      return identifier === name ? [] : [[name, identifier] as const];
    });
    if (renamed.length > 0) node.renamed = Object.fromEntries(renamed);
  }
  for (const key of ["items", "additionalProperties"] as const) {
    const sub = schema[key];
    if (sub && typeof sub === "object" && !Array.isArray(sub)) {
      const tree = ruleTree(sub as Schema);
      if (tree) node[key] = tree;
    }
  }
  if (Array.isArray(schema.allOf)) {
    const kept = (schema.allOf as Schema[]).flatMap((sub) => ruleTree(sub) ?? []);
    if (kept.length > 0) node.allOf = kept;
  }
  const rules = schema["x-kubernetes-validations"];
  if (Array.isArray(rules) && rules.length > 0) node.rules = rules as CrdRule[];
  if (schema.default !== undefined) node.default = schema.default;
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "set" || listType === "map") {
    node.listType = listType;
    if (listType === "map") node.listMapKeys = (schema["x-kubernetes-list-map-keys"] as string[]) ?? [];
  }
  if (Object.keys(node).length === 0) return undefined;
  if (typeof schema.type === "string") node.type = schema.type;
  return node;
}
