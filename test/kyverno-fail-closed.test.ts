import { describe, expect, it } from "vitest";
import { type KyvernoConfig, kyvernoFindings } from "../lib/admission/kyverno.ts";
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
  return kyvernoFindings(pod, { "kubernetes.io/metadata.name": "team" }, config).map((f) => f.message);
};
// A map key that does not exist is an evaluation error in CEL.
const ERRORS = "object.metadata.labels['missing'] == 'x'";

describe("Kyverno judgements fail closed", () => {
  it("an exception whose condition holds exempts; one whose condition errors does not", () => {
    expect(judge([policy()], [exception("request.namespace == 'team'")])).toEqual([]);
    expect(judge([policy()], [exception(ERRORS)])).toEqual(["no pods here"]);
  });

  it("a match condition that errors refuses under failurePolicy Fail, and is skipped under Ignore", () => {
    const failing = judge([policy({ matchConditions: [{ name: "broken", expression: ERRORS }] })]);
    expect(failing).toHaveLength(1);
    expect(failing[0]).toContain(
      'cannot prove the policy does not apply: match condition "broken" fails to evaluate',
    );
    expect(
      judge([policy({ failurePolicy: "Ignore", matchConditions: [{ name: "broken", expression: ERRORS }] })]),
    ).toEqual([]);
  });
});
