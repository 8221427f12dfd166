import { describe, expect, it } from "vitest";
import { evaluate } from "../lib/admission/cel.ts";
import {
  judgeRequest,
  type KyvernoConfig,
  namespaceObject,
  requestFor,
} from "../lib/admission/kyverno/index.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";

/** Fixture policies, not the estate's: what the proof cannot evaluate must never admit. */
const pod: Manifest = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "app", namespace: "team" },
  spec: { containers: [{ name: "app", image: "registry.example/app:1.0.0" }] },
};
const policy = (spec: Record<string, unknown> = {}): Manifest => ({
  apiVersion: "policies.kyverno.io/v1",
  kind: "ValidatingPolicy",
  metadata: { name: "no-pods" },
  spec: {
    validationActions: ["Deny"],
    matchConstraints: {
      resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
    },
    validations: [{ expression: "false", message: "no pods here" }],
    ...spec,
  },
});
const exception = (expression: string): Manifest => ({
  apiVersion: "policies.kyverno.io/v1",
  kind: "PolicyException",
  metadata: { name: "exempt", namespace: "kyverno" },
  spec: {
    policyRefs: [{ name: "no-pods", kind: "ValidatingPolicy" }],
    matchConditions: [{ name: "scope", expression }],
  },
});
const judge = (policies: Manifest[], exceptions: Manifest[] = []): string[] => {
  const config: KyvernoConfig = { policies, exceptions, resourceFilters: [] };
  return judgeRequest(requestFor(pod), namespaceObject("team", {}), config).map((f) => f.message);
};
// A map key that does not exist is an evaluation error in CEL.
const ERRORS = "object.metadata.labels['missing'] == 'x'";

const exceptionWith = (spec: Record<string, unknown>): Manifest => ({
  apiVersion: "policies.kyverno.io/v1alpha1",
  kind: "PolicyException",
  metadata: { name: "partial", namespace: "kyverno" },
  spec: { policyRefs: [{ name: "no-pods", kind: "ValidatingPolicy" }], ...spec },
});

describe("Kyverno judgements as Kyverno 1.19 makes them, failing closed", () => {
  it("an exception whose condition holds exempts; one whose condition errors fails the policy", () => {
    expect(judge([policy()], [exception("request.namespace == 'team'")])).toEqual([]);
    expect(judge([policy()], [exception(ERRORS)])).toEqual([
      'exception kyverno/exempt: condition "scope" fails to evaluate: field not found: labels',
    ]);
  });

  it("an exception without conditions exempts everything; one with images or values exempts nothing by itself", () => {
    expect(judge([policy()], [exceptionWith({})])).toEqual([]);
    expect(judge([policy()], [exceptionWith({ images: ["registry.example/*"] })])).toEqual(["no pods here"]);
  });

  it("what this CEL environment cannot evaluate is 'cannot prove', in conditions and validations", () => {
    // the field-path shape of optional syntax evaluates; other shapes cannot be parsed here
    expect(judge([policy()], [exception("object.?metadata.?labels[?'team'].orValue('') == 'x'")])).toEqual([
      "no pods here",
    ]);
    expect(judge([policy()], [exception("object.metadata.?labels[?'team'].orValue('') == ''")])).toEqual([]);
    const optional = judge([policy()], [exception("object.spec.containers[0].?name.orValue('') == 'x'")]);
    expect(optional[0]).toMatch(/^cannot prove: exception kyverno\/exempt/);
    const library = judge([policy({ validations: [{ expression: "quantity('1Gi').isInteger()" }] })]);
    expect(library[0]).toMatch(/^cannot prove: validation 0: 'quantity\('1Gi'\).isInteger\(\)'/);
  });

  it("a match condition that errors refuses under failurePolicy Fail, and is skipped under Ignore", () => {
    const failing = judge([policy({ matchConditions: [{ name: "broken", expression: ERRORS }] })]);
    expect(failing).toEqual([
      `match condition "broken": expression '${ERRORS}' resulted in error: field not found: labels`,
    ]);
    expect(
      judge([policy({ failurePolicy: "Ignore", matchConditions: [{ name: "broken", expression: ERRORS }] })]),
    ).toEqual([]);
  });

  it("judges the rules it autogenerates for pod controllers on a Deployment's pod template", () => {
    const config: KyvernoConfig = {
      policies: [
        policy({
          validations: [{ expression: "object.spec.containers.size() == 0", message: "no containers" }],
        }),
      ],
      exceptions: [],
      resourceFilters: [],
    };
    const deployment: Manifest = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "app", namespace: "team" },
      spec: { template: { metadata: {}, spec: pod.spec } },
    };
    const findings = judgeRequest(requestFor(deployment), namespaceObject("team", {}), config);
    expect(findings.map((f) => f.message)).toEqual(["no containers"]);
  });
});

describe("optional syntax, in the field-path shape Kyverno policies use", () => {
  const value = (expression: string, object: unknown) => evaluate(expression, { object });
  it("evaluates chains with orValue and hasValue as cel-go does", () => {
    const object = { spec: { a: { b: ")" } }, metadata: { labels: { "app.kubernetes.io/name": "x" } } };
    expect(value("object.spec.?a.?b.orValue('(')", object)).toEqual({ ok: true, value: ")" });
    expect(value("object.spec.?a.c.orValue(string(size([1, 2])))", object)).toEqual({ ok: true, value: "2" });
    expect(value("object.metadata.?labels[?'app.kubernetes.io/name'].hasValue()", object)).toEqual({
      ok: true,
      value: true,
    });
    expect(value("object.?status.?phase.hasValue()", object)).toEqual({ ok: true, value: false });
  });
});
