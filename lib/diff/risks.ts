import { isStateful } from "../synth/prune-guard.ts";
import type { FieldChange } from "./fields.ts";
import { type DiffObject, describeObject } from "./objects.ts";

export type Severity = "critical" | "high" | "medium";

export interface ObjectChange {
  readonly change: "added" | "removed" | "changed";
  readonly before?: DiffObject;
  readonly after?: DiffObject;
  readonly fields: readonly FieldChange[];
}

export interface RiskFlag {
  readonly severity: Severity;
  readonly rule: string;
  readonly cluster: string;
  readonly object: string;
  readonly message: string;
}

const object = (c: ObjectChange) => (c.after ?? c.before) as DiffObject;
interface SpecView {
  validationActions?: string[];
  parentRefs?: { name: string }[];
  hostnames?: string[];
}
const spec = (o: DiffObject | undefined) => (o?.manifest.spec ?? {}) as SpecView;
const isKyverno = (o: DiffObject) => o.apiVersion.startsWith("policies.kyverno.io/");
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "HelmRelease"]);
const RBAC_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);
const GUARD_PLUGINS = ["rate-limit-public", "keycloak-jwt"];

/** Which fields the API server refuses to change in place, per kind. */
const IMMUTABLE: Record<string, RegExp> = {
  Deployment: /^spec\.selector/,
  DaemonSet: /^spec\.selector/,
  StatefulSet: /^spec\.(selector|volumeClaimTemplates|serviceName|podManagementPolicy)/,
  Job: /^spec\.(selector|template)/,
  Service: /^spec\.(clusterIP|clusterIPs|ipFamilies)/,
  PersistentVolumeClaim: /^spec\.(storageClassName|accessModes|volumeName|selector)/,
};

function isPublicRoute(o: DiffObject | undefined): boolean {
  return (
    o?.kind === "HTTPRoute" && (spec(o).parentRefs ?? []).some((p: { name: string }) => p.name === "public")
  );
}

function plugins(o: DiffObject | undefined): string[] {
  return String(o?.manifest.metadata?.annotations?.["konghq.com/plugins"] ?? "")
    .split(",")
    .filter(Boolean);
}

/** One risk a rule finds in a change: how bad, which rule, what it means. */
type Risk = readonly [Severity, string, string];

/** The rules, in the order their flags are listed within one severity and object. */
const CHANGE_RULES: readonly ((c: ObjectChange, o: DiffObject) => Risk[])[] = [
  deletionRisks,
  policyChangeRisks,
  dataLevelRisks,
  publicRouteRisks,
  rbacRisks,
  versionRisks,
  immutableFieldRisks,
];

/** The risk flags of a set of object changes, each naming cluster and object, most severe first. */
export function riskFlags(changes: readonly ObjectChange[]): RiskFlag[] {
  const flag = (c: ObjectChange, [severity, rule, message]: Risk): RiskFlag => ({
    severity,
    rule,
    cluster: object(c).cluster,
    object: describeObject(object(c)),
    message,
  });
  const flags = [
    ...changes.flatMap((c) =>
      CHANGE_RULES.flatMap((rule) => rule(c, object(c))).map((risk) => flag(c, risk)),
    ),
    ...clusterMoves(changes).map(([c, risk]) => flag(c, risk)),
  ];
  const order: Record<Severity, number> = { critical: 0, high: 1, medium: 2 };
  return flags.sort(
    (a, b) =>
      order[a.severity] - order[b.severity] ||
      a.cluster.localeCompare(b.cluster) ||
      a.object.localeCompare(b.object),
  );
}

function deletionRisks(c: ObjectChange, o: DiffObject): Risk[] {
  if (c.change !== "removed") return [];
  const stateful = isStateful(o.apiVersion, o.kind) || o.kind === "StatefulSet";
  const kept = o.manifest.metadata?.annotations?.["kustomize.toolkit.fluxcd.io/prune"] === "disabled";
  const message = kept
    ? `removes ${o.kind} from Git: Flux keeps it (prune: disabled), but nothing manages it any more`
    : stateful
      ? `deletes ${o.kind}: data may be lost`
      : `deletes ${o.kind}`;
  const risks: Risk[] = [[stateful ? "critical" : "medium", "deletion", message]];
  if (isKyverno(o)) risks.push(["critical", "policy-weakening", "removes an admission policy"]);
  if (o.kind === "NetworkPolicy" && o.name === "default-deny")
    risks.push(["critical", "policy-weakening", `removes the default-deny of namespace ${o.namespace}`]);
  if (o.kind === "KongPlugin" && ["rate-limiting", "jwt"].includes(String(o.manifest.plugin)))
    risks.push(["critical", "public-exposure", `removes the ${o.manifest.plugin} plugin`]);
  return risks;
}

function policyChangeRisks(c: ObjectChange, o: DiffObject): Risk[] {
  if (c.change !== "changed" || !isKyverno(o)) return [];
  const risks: Risk[] = [];
  const before = spec(c.before).validationActions ?? [];
  const after = spec(c.after).validationActions ?? [];
  if (before.includes("Deny") && !after.includes("Deny"))
    risks.push([
      "critical",
      "policy-weakening",
      `validationActions ${JSON.stringify(before)} -> ${JSON.stringify(after)}: no longer enforced`,
    ]);
  const narrowed = c.fields.some((f) =>
    /^spec\.(validations|matchConstraints|matchConditions|matchImageReferences|attestors|mutations|generate)/.test(
      f.path,
    ),
  );
  if (narrowed) risks.push(["critical", "policy-weakening", "changes what the policy matches or checks"]);
  return risks;
}

function dataLevelRisks(c: ObjectChange): Risk[] {
  const changed = c.fields.find((f) => /labels\.data-level$/.test(f.path));
  return changed
    ? [["critical", "data-level", `data-level ${String(changed.before)} -> ${String(changed.after)}`]]
    : [];
}

function publicRouteRisks(c: ObjectChange): Risk[] {
  const risks: Risk[] = [];
  const widened = c.fields.some((f) => /^spec\.(hostnames|rules|parentRefs)/.test(f.path));
  if (isPublicRoute(c.after) && (c.change === "added" || widened))
    risks.push([
      "high",
      "public-exposure",
      `${c.change === "added" ? "new" : "widened"} public route ${JSON.stringify(spec(c.after).hostnames)}`,
    ]);
  if (c.change === "changed" && c.after?.kind === "HTTPRoute") {
    const dropped = GUARD_PLUGINS.filter(
      (p) => plugins(c.before).includes(p) && !plugins(c.after).includes(p),
    );
    if (dropped.length) risks.push(["critical", "public-exposure", `route loses ${dropped.join(", ")}`]);
  }
  return risks;
}

function rbacRisks(c: ObjectChange, o: DiffObject): Risk[] {
  return RBAC_KINDS.has(o.kind) && c.change !== "removed"
    ? [["high", "rbac", `${c.change === "added" ? "grants" : "changes"} ${o.kind}`]]
    : [];
}

/** An image, or a chart version: in the HelmRelease itself, or the tag of the OCIRepository its chartRef names. */
function versionRisks(c: ObjectChange, o: DiffObject): Risk[] {
  const risks: Risk[] = [];
  for (const f of c.fields) {
    if (/\.image$/.test(f.path) || /\.image\.(repository|tag)$/.test(f.path))
      risks.push(["medium", "image", `${f.path}: ${String(f.before)} -> ${String(f.after)}`]);
    const chartVersion =
      (o.kind === "HelmRelease" && f.path === "spec.chart.spec.version") ||
      (o.kind === "OCIRepository" && f.path === "spec.ref.tag");
    if (chartVersion) risks.push(["medium", "image", `chart ${String(f.before)} -> ${String(f.after)}`]);
  }
  return risks;
}

function immutableFieldRisks(c: ObjectChange, o: DiffObject): Risk[] {
  const immutable = IMMUTABLE[o.kind];
  const frozen = immutable && c.change === "changed" ? c.fields.filter((f) => immutable.test(f.path)) : [];
  return frozen.length
    ? [
        [
          "high",
          "immutable-field",
          `changes ${frozen.map((f) => f.path).join(", ")}: the API server refuses this in place`,
        ],
      ]
    : [];
}

/** A workload that disappears from one cluster and appears on another moves data with it. */
function clusterMoves(changes: readonly ObjectChange[]): [ObjectChange, Risk][] {
  const removed = changes.filter((c) => c.change === "removed" && WORKLOAD_KINDS.has(object(c).kind));
  return changes
    .filter((c) => c.change === "added" && WORKLOAD_KINDS.has(object(c).kind))
    .flatMap((add): [ObjectChange, Risk][] => {
      const from = removed.find(
        (r) =>
          object(r).kind === object(add).kind &&
          object(r).name === object(add).name &&
          object(r).cluster !== object(add).cluster,
      );
      return from
        ? [
            [
              add,
              ["critical", "cluster-move", `moves from ${object(from).cluster} to ${object(add).cluster}`],
            ],
          ]
        : [];
    });
}
