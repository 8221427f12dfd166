import type { HydratedObject } from "../hydrate/index.ts";
import { type OperatedKind, runsOn } from "../inventory/component.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";

/** API groups the API server serves itself; every other group is a custom resource's. */
const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "policy",
  "autoscaling",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
]);

const noPods = (why: string) => ({ noPods: why });

/**
 * Custom resources acted on by controllers that are not platform components: Flux and its operator
 * (bootstrapped on every cluster, lib/hydrate/flux-distribution.ts) and the Keycloak operator (a Git
 * mirror applied by a Flux Kustomization, lib/hydrate/operators.ts).
 */
const OPERATED_OUTSIDE_COMPONENTS: readonly OperatedKind[] = [
  { kind: "fluxcd.controlplane.io/FluxInstance", creates: "modeled" },
  {
    kind: "helm.toolkit.fluxcd.io/HelmRelease",
    creates: noPods(
      "installs its chart, which the proof renders (a release that does not render is a problem)",
    ),
  },
  {
    kind: "kustomize.toolkit.fluxcd.io/Kustomization",
    creates: noPods("applies a path of this repository or of a Git mirror, which the proof reads"),
  },
  { kind: "source.toolkit.fluxcd.io/GitRepository", creates: noPods("an artifact in source-controller") },
  { kind: "source.toolkit.fluxcd.io/OCIRepository", creates: noPods("an artifact in source-controller") },
  { kind: "notification.toolkit.fluxcd.io/Provider", creates: noPods("where notification-controller posts") },
  {
    kind: "notification.toolkit.fluxcd.io/Alert",
    creates: noPods("which events notification-controller posts"),
  },
  { kind: "k8s.keycloak.org/Keycloak", creates: "modeled" },
  { kind: "k8s.keycloak.org/KeycloakRealmImport", creates: "modeled" },
];

/**
 * Every custom resource of a cluster is one a controller on that cluster acts on, declared with what
 * it makes of it (a component's `operates`, or the table above): a kind nobody declares could start
 * pods the proof never sees, so it is "cannot prove", not an allow. A kind declared `modeled` must
 * have made the proof create something from each resource.
 */
export function customResourceProblems(
  cluster: Cluster,
  estate: Estate,
  objects: readonly HydratedObject[],
): string[] {
  const declared = new Map<string, OperatedKind>();
  for (const operated of [
    ...OPERATED_OUTSIDE_COMPONENTS,
    ...estate.components.filter((c) => runsOn(c, cluster, estate)).flatMap((c) => c.operates ?? []),
  ])
    declared.set(operated.kind, operated);
  const created = new Set(objects.filter((o) => o.origin.startsWith("operator ")).map((o) => o.origin));
  const problems: string[] = [];
  for (const { origin, manifest } of objects) {
    const kind = groupKind(manifest);
    if (!kind) continue;
    const at = `${origin}: cluster "${cluster.name}": ${manifest.kind} ${nameOf(manifest)}: custom-resources`;
    const operated = declared.get(kind);
    if (!operated) {
      problems.push(
        `${at}: cannot prove what acts on it: no component on this cluster declares ${kind} (operates, in its descriptor)`,
      );
      continue;
    }
    const why = operated.cannotProve?.(manifest);
    if (why) problems.push(`${at}: cannot prove what it creates: ${why}`);
    if (operated.creates === "modeled" && !created.has(`operator ${manifest.kind} ${nameOf(manifest)}`))
      problems.push(`${at}: cannot prove what it creates: its operator model created nothing from it`);
  }
  return problems;
}

/** `<group>/<Kind>` of a custom resource; undefined for a kind the API server serves itself. */
function groupKind(manifest: Manifest): string | undefined {
  // Without an apiVersion it is not an object at all: the schema check reports it.
  if (typeof manifest.apiVersion !== "string") return undefined;
  const slash = manifest.apiVersion.indexOf("/");
  const group = slash < 0 ? "" : manifest.apiVersion.slice(0, slash);
  return BUILT_IN_GROUPS.has(group) ? undefined : `${group}/${manifest.kind}`;
}

function nameOf(manifest: Manifest): string {
  const { namespace, name } = manifest.metadata ?? {};
  return namespace ? `${namespace}/${name}` : String(name);
}
