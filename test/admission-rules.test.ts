import { describe, expect, it } from "vitest";
import { labelSelectorProblems, selectorMatches } from "../lib/admission/label-selector.ts";
import { podSecurityViolations } from "../lib/admission/pod-security/index.ts";

const pod = (spec: object) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "n" },
  spec,
});
const restricted = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
  containers: [
    {
      name: "app",
      image: "x",
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    },
  ],
};

describe("Pod Security Standards, as the Kubernetes page defines them", () => {
  it("restricted accepts a compliant pod and names each violated control", () => {
    expect(podSecurityViolations(pod(restricted), "restricted")).toEqual([]);
    const loose = pod({
      containers: [{ name: "app", image: "x" }],
      volumes: [{ name: "h", hostPath: { path: "/" } }],
    });
    const found = podSecurityViolations(loose, "restricted");
    for (const control of [
      "restricted volume types",
      "allowPrivilegeEscalation",
      "runAsNonRoot",
      "seccompProfile",
      "must drop ALL",
    ])
      expect(found.join("\n")).toContain(control);
  });

  it("baseline allows what restricted forbids but not host access or privilege", () => {
    const plain = pod({ containers: [{ name: "app", image: "x" }] });
    expect(podSecurityViolations(plain, "baseline")).toEqual([]);
    const host = pod({
      hostNetwork: true,
      containers: [{ name: "a", image: "x", securityContext: { privileged: true } }],
    });
    expect(podSecurityViolations(host, "baseline")).toEqual([
      "host namespaces (hostNetwork=true)",
      'privileged (container "a")',
    ]);
    expect(podSecurityViolations(host, "privileged")).toEqual([]);
  });

  it("judges init and ephemeral containers too", () => {
    const withInit = pod({ ...restricted, initContainers: [{ name: "init", image: "x" }] });
    expect(podSecurityViolations(withInit, "restricted").join("\n")).toContain('container "init"');
  });
});

describe("label selectors as the API server validates and matches them", () => {
  it("In and NotIn need values; Exists takes none", () => {
    expect(
      labelSelectorProblems({ matchExpressions: [{ key: "a", operator: "NotIn", values: [] }] }),
    ).toHaveLength(1);
    expect(
      labelSelectorProblems({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }),
    ).toHaveLength(1);
    expect(
      labelSelectorProblems({ matchExpressions: [{ key: "a", operator: "In", values: ["x"] }] }),
    ).toEqual([]);
  });

  it("matches labels and expressions", () => {
    const selector = {
      matchLabels: { a: "1" },
      matchExpressions: [{ key: "b", operator: "NotIn", values: ["2"] }],
    };
    expect(selectorMatches(selector, { a: "1" })).toBe(true);
    expect(selectorMatches(selector, { a: "1", b: "2" })).toBe(false);
    expect(selectorMatches(undefined, {})).toBe(true);
  });
});
