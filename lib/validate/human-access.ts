import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster } from "../inventory/model.ts";
import { humanSubjects } from "../synth/guards.ts";

type Spec = Record<string, any>;

const READ_VERBS = new Set(["get", "list", "watch"]);
/** What no human may change on a non-prod cluster: who may talk to whom, who may do what, the policies. */
const GUARDED: readonly [string, RegExp][] = [
  ["networking.k8s.io", /^networkpolicies$/],
  ["rbac.authorization.k8s.io", /.*/],
  ["policies.kyverno.io", /.*/],
  ["kyverno.io", /.*/],
];
const POWER_VERBS = ["impersonate", "escalate", "bind", "*"];
/** The built-in ClusterRoles a human may be bound to: read-only. */
const BUILT_IN_ALLOWED = new Set(["view"]);

/**
 * Human access on the rendered estate: on production clusters no binding names a user or group; on
 * the others every role bound to a user or group is `view` or a role of the estate that grants no
 * write on NetworkPolicies, RBAC or admission policies, no impersonation, escalation or binding, and no
 * wildcard. Built-in `edit` and `admin` would let a developer open a network path (even to prod).
 */
export function humanAccessProblems(cluster: Cluster, objects: readonly HydratedObject[]): string[] {
  const roles = new Map(
    objects
      .filter((o) => o.manifest.kind === "ClusterRole" || o.manifest.kind === "Role")
      .map((o) => [
        `${o.manifest.kind}/${o.manifest.kind === "Role" ? `${o.manifest.metadata?.namespace}/` : ""}${o.manifest.metadata?.name}`,
        o.manifest as Spec,
      ]),
  );
  const problems: string[] = [];
  for (const { origin, manifest } of objects) {
    if (manifest.kind !== "RoleBinding" && manifest.kind !== "ClusterRoleBinding") continue;
    // synth's guard refuses them in the Flux trees; this also sees what charts render
    const humans = humanSubjects(manifest);
    if (humans.length === 0) continue;
    const at = `${origin}: cluster "${cluster.name}": ${manifest.kind} ${manifest.metadata?.namespace ?? ""}/${manifest.metadata?.name}`;
    if (cluster.production) {
      problems.push(
        `${at}: binds ${humans.join(", ")} on a production cluster, where Flux is the only writer`,
      );
      continue;
    }
    const ref = (manifest as Spec).roleRef as Spec | undefined;
    if (!ref) continue; // the schema check names the missing roleRef
    const key =
      ref.kind === "Role" ? `Role/${manifest.metadata?.namespace}/${ref.name}` : `ClusterRole/${ref.name}`;
    const role = roles.get(key);
    if (!role) {
      if (!BUILT_IN_ALLOWED.has(ref.name))
        problems.push(
          `${at}: binds people to ${ref.kind} ${ref.name}, which is not read-only (edit and admin write NetworkPolicies and impersonate service accounts); use view or the estate's developer role`,
        );
      continue;
    }
    for (const why of ruleProblems((role.rules ?? []) as Spec[]))
      problems.push(`${at}: ${ref.kind} ${ref.name} ${why}`);
  }
  return problems;
}

function ruleProblems(rules: readonly Spec[]): string[] {
  return rules.flatMap((rule) => {
    const verbs = (rule.verbs ?? []) as string[];
    const groups = (rule.apiGroups ?? []) as string[];
    const resources = (rule.resources ?? []) as string[];
    const problems: string[] = [];
    const power = verbs.filter((v) => POWER_VERBS.includes(v));
    if (power.length) problems.push(`grants ${power.join(", ")}`);
    if (groups.includes("*") || resources.includes("*")) problems.push("grants a wildcard");
    const writes = verbs.filter((v) => !READ_VERBS.has(v));
    const guarded = resources.filter((r) =>
      groups.some((g) => GUARDED.some(([group, re]) => group === g && re.test(r))),
    );
    if (writes.length && guarded.length)
      problems.push(`grants ${writes.join(", ")} on ${guarded.join(", ")}`);
    return problems;
  });
}
