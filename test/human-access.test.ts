import { describe, expect, it } from "vitest";
import type { HydratedObject } from "../lib/hydrate/index.ts";
import { DEVELOPER_ROLE, DEVELOPER_RULES } from "../lib/identity/developer-role.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { humanAccessProblems } from "../lib/validate/human-access.ts";

/** Fixture bindings, not the estate's: what people may do on a cluster. */
const nonprod = { name: "nonprod", production: false } as Cluster;
const prod = { name: "prod", production: true } as Cluster;
const at = (manifest: Manifest): HydratedObject => ({ cluster: "x", origin: "dist/x.yaml", manifest });
const binding = (role: string): Manifest =>
  ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "developers", namespace: "dev-app" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "oidc:developers" }],
  }) as Manifest;
const role = (name: string, rules: unknown[]): Manifest =>
  ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name },
    rules,
  }) as Manifest;

describe("human access", () => {
  it("the developer role and view pass; edit and admin do not", () => {
    expect(
      humanAccessProblems(nonprod, [
        at(role(DEVELOPER_ROLE, [...DEVELOPER_RULES])),
        at(binding(DEVELOPER_ROLE)),
      ]),
    ).toEqual([]);
    expect(humanAccessProblems(nonprod, [at(binding("view"))])).toEqual([]);
    expect(humanAccessProblems(nonprod, [at(binding("edit"))])).toEqual([
      'dist/x.yaml: cluster "nonprod": RoleBinding dev-app/developers: binds people to ClusterRole edit, which is not read-only (edit and admin write NetworkPolicies and impersonate service accounts); use view or the estate\'s developer role',
    ]);
  });

  it("refuses a role of the estate that lets people open a network path or act as someone else", () => {
    const opener = role("opener", [
      { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["get", "create"] },
      { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
    ]);
    expect(humanAccessProblems(nonprod, [at(opener), at(binding("opener"))])).toEqual([
      'dist/x.yaml: cluster "nonprod": RoleBinding dev-app/developers: ClusterRole opener grants create on networkpolicies',
      'dist/x.yaml: cluster "nonprod": RoleBinding dev-app/developers: ClusterRole opener grants impersonate',
    ]);
  });

  it("binds nobody on a production cluster", () => {
    expect(humanAccessProblems(prod, [at(binding("view"))])).toHaveLength(1);
  });
});
