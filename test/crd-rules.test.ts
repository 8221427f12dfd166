import { describe, expect, it } from "vitest";
import { crdRuleViolations, withDefaults } from "../lib/schemas/crd-rule-check.ts";
import { celIdentifier } from "../lib/schemas/crd-rule-names.ts";
import { type RuleNode, ruleTree } from "../lib/schemas/crd-rules.ts";

/** A small CRD schema with one of each thing the API server checks beyond OpenAPI. */
const SCHEMA = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      "x-kubernetes-validations": [
        { rule: "self.minReplicas <= self.maxReplicas", message: "min must not exceed max" },
        { rule: "self.mode == oldSelf.mode", message: "mode is immutable" },
        {
          rule: "!has(self.target) || self.target.__namespace__ != 'kube-system'",
          messageExpression: "'target namespace ' + self.target.__namespace__ + ' is reserved'",
          fieldPath: ".target",
        },
        { rule: "self.tags.all(t, t.size() > 0)", reason: "FieldValueForbidden", message: "no empty tags" },
      ],
      properties: {
        minReplicas: { type: "integer" },
        maxReplicas: { type: "integer", default: 3 },
        mode: { type: "string" },
        tags: { type: "array", items: { type: "string" }, default: [], "x-kubernetes-list-type": "set" },
        target: { type: "object", properties: { namespace: { type: "string" }, name: { type: "string" } } },
        labels: {
          type: "object",
          additionalProperties: { type: "string" },
          "x-kubernetes-validations": [{ rule: "self.all(k, k.startsWith('example.org/'))" }],
        },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["port"],
          items: {
            type: "object",
            properties: { port: { type: "integer" } },
            "x-kubernetes-validations": [{ rule: "quantity('1Gi').isGreaterThan(quantity('1Mi'))" }],
          },
        },
      },
    },
  },
};

const TREE = ruleTree(SCHEMA) as RuleNode;
const judge = (spec: Record<string, unknown>) => crdRuleViolations(withDefaults({ spec }, TREE), TREE);

describe("CRD validation rules, as the API server evaluates them", () => {
  it("fills in defaults before the rules run, and passes a valid object", () => {
    expect(withDefaults({ spec: { minReplicas: 1 } }, TREE)).toEqual({
      spec: { minReplicas: 1, maxReplicas: 3, tags: [] },
    });
    expect(judge({ minReplicas: 1, mode: "a", labels: { "example.org/x": "1" } })).toEqual([]);
  });

  it("reports a failed rule with its message, reason and field path", () => {
    expect(judge({ minReplicas: 5, tags: ["", "a"] })).toEqual([
      'spec: Invalid value: "object": min must not exceed max',
      "spec: Forbidden: no empty tags",
    ]);
    expect(judge({ minReplicas: 1, target: { namespace: "kube-system", name: "x" } })).toEqual([
      'spec.target: Invalid value: "object": target namespace kube-system is reserved',
    ]);
  });

  it("reads escaped property names and leaves map keys as they are", () => {
    expect(celIdentifier("namespace")).toBe("__namespace__");
    expect(celIdentifier("a.b-c/d__e")).toBe("a__dot__b__dash__c__slash__d__underscores__e");
    expect(celIdentifier("1st")).toBeUndefined();
    expect(judge({ minReplicas: 1, labels: { "other.org/x": "1" } })).toEqual([
      "spec.labels: Invalid value: \"object\": failed rule: self.all(k, k.startsWith('example.org/'))",
    ]);
  });

  it("skips transition rules on a new object, as on a create", () => {
    expect(judge({ minReplicas: 1, mode: "b" })).toEqual([]);
  });

  it("refuses duplicates in set and map lists", () => {
    const problems = judge({ minReplicas: 1, tags: ["a", "a"], ports: [] });
    expect(problems).toEqual(['spec.tags[1]: Duplicate value: "a"']);
  });

  it("says cannot prove for what its CEL environment lacks, never passes it", () => {
    const problems = judge({ minReplicas: 1, ports: [{ port: 80 }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^spec\.ports\[0\]: cannot prove: rule `quantity\('1Gi'\)/);
  });
});
