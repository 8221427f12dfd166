import { describe, expect, it } from "vitest";
import { admissionReport } from "../lib/admission/index.ts";
import type { HydratedObject } from "../lib/hydrate/index.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";

/** A fixture cluster: Kyverno policies judge every object Flux creates, not only pods. */
const at = (manifest: Manifest): HydratedObject => ({ cluster: "fixture", origin: "dist/x.yaml", manifest });
const policy = (
  name: string,
  resources: string,
  expression: string,
  apiVersion = "policies.kyverno.io/v1",
): Manifest => ({
  apiVersion,
  kind: "ValidatingPolicy",
  metadata: { name },
  spec: {
    validationActions: ["Deny"],
    matchConstraints: {
      resourceRules: [
        { apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE"], resources: [resources] },
      ],
    },
    validations: [{ expression, message: `${name} refuses it` }],
  },
});
const namespace = (name: string, labels: Record<string, string>): Manifest => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels },
});
const restricted = { "pod-security.kubernetes.io/enforce": "restricted" };
const deployment: Manifest = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "app", namespace: "team" },
  spec: {
    template: {
      metadata: { labels: { app: "app" } },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "app",
            image: "registry.example/app:1",
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
        ],
      },
    },
  },
};
const denied = (objects: Manifest[]) =>
  admissionReport(objects.map(at)).denied.map((f) => `${f.subject}: ${f.rule}: ${f.message}`);

describe("admission of every object of the estate", () => {
  it("judges a Namespace by the policies on namespaces", () => {
    const needsTeam = policy("needs-team", "namespaces", "has(object.metadata.labels.team)");
    expect(denied([needsTeam, namespace("team", restricted)])).toEqual([
      "/team (Namespace): ValidatingPolicy needs-team: needs-team refuses it",
    ]);
    expect(denied([needsTeam, namespace("team", { ...restricted, team: "a" })])).toEqual([]);
  });

  it("judges a Deployment by the rules a pod policy autogenerates, and its pods by the policy", () => {
    const noAppLabel = policy("no-app-label", "pods", "!has(object.metadata.labels.app)");
    (noAppLabel.spec as any).matchConstraints.resourceRules[0] = {
      apiGroups: [""],
      apiVersions: ["v1"],
      operations: ["CREATE"],
      resources: ["pods"],
    };
    expect(denied([noAppLabel, namespace("team", restricted), deployment])).toEqual([
      "team/app (Deployment): ValidatingPolicy no-app-label: no-app-label refuses it",
      "team/app (Deployment): ValidatingPolicy no-app-label (its pods): no-app-label refuses it",
    ]);
  });

  it("reads v1beta1 policies and refuses a version Kyverno does not serve", () => {
    const beta = policy("needs-team", "namespaces", "false", "policies.kyverno.io/v1beta1");
    expect(denied([beta, namespace("team", restricted)])).toHaveLength(1);
    const unserved = { ...policy("old", "namespaces", "false"), apiVersion: "policies.kyverno.io/v2" };
    expect(denied([unserved])).toEqual([
      "ValidatingPolicy old: kyverno-api: Kyverno 1.19 serves no ValidatingPolicy at policies.kyverno.io/v2: the API server refuses it, and the proof cannot judge it",
    ]);
  });
});
