import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { Layer } from "../lib/flux/layers.ts";
import { OIDC_GROUP_PREFIX } from "../lib/identity/authentication.ts";
import { DEVELOPER_ROLE, DEVELOPER_RULES } from "../lib/identity/developer-role.ts";
import type { Cluster, Estate, Placement } from "../lib/inventory/model.ts";
import type { Stage } from "../lib/inventory/schema.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { dataNamespaceOf } from "../lib/platform.ts";
import { namespacesOf, placementsOn } from "./workloads.ts";

/**
 * Human access. Production: none at all (Flux is the only writer, and the inventory refuses developer
 * groups there). Non-prod: the developer groups get the developer role in dev (lib/identity/
 * developer-role.ts: debugging, no NetworkPolicy, RBAC or impersonation) and view in test and acc, in
 * the applications' namespaces and the environment's data namespace alike.
 */
export class RbacChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "rbac", { disableResourceNameHashes: true });
    if (cluster.production || cluster.developerGroups.length === 0) return;
    const layer = Layer.in(this, "apps");
    const namespaces: [string, Stage][] = [
      ...[...namespacesOf(placementsOn(cluster, estate))].map(([namespace, placements]): [string, Stage] => [
        namespace,
        (placements[0] as Placement).stage,
      ]),
      // Each environment's databases: the same access as its applications.
      ...cluster.stages.map((stage): [string, Stage] => [dataNamespaceOf(cluster, stage), stage]),
    ];
    addModel(
      layer,
      new ClusterRole({
        metadata: { name: DEVELOPER_ROLE },
        rules: DEVELOPER_RULES.map((r) => ({
          apiGroups: [...r.apiGroups],
          resources: [...r.resources],
          verbs: [...r.verbs],
        })),
      }),
    );
    for (const [namespace, stage] of namespaces) {
      const role = stage === "dev" ? DEVELOPER_ROLE : "view";
      addModel(
        layer,
        new RoleBinding({
          metadata: { name: stage === "dev" ? "developers" : "developers-view", namespace },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
          subjects: cluster.developerGroups.map((group) => ({
            apiGroup: "rbac.authorization.k8s.io",
            kind: "Group",
            name: `${OIDC_GROUP_PREFIX}${group}`,
          })),
        }),
      );
    }
  }
}
