import { kyvernoConnections } from "../../lib/connections/platform.ts";
import { mirror } from "../../lib/images.ts";
import type { CustomResource, PlatformComponent } from "../../lib/inventory/component.ts";
import { pods, scrape } from "../../lib/inventory/connection.ts";
import { KYVERNO_NAMESPACE } from "../../lib/platform.ts";

/** Kyverno: the admission policies (charts/policies.ts) and their exceptions run on it. */
export const kyverno: PlatformComponent = {
  name: "kyverno",
  chart: "kyverno",
  namespace: KYVERNO_NAMESPACE,
  // Kyverno runs its admission webhooks with host-independent pods: restricted is enough.
  ownNamespace: { holds: "Kyverno and its PolicyExceptions", podSecurity: "restricted" },
  layer: "controllers",
  values: (cluster) => ({
    global: { image: { registry: mirror(cluster, "reg.kyverno.io") } },
    admissionController: { replicas: cluster.production ? 3 : 1 },
    features: { policyExceptions: { enabled: true, namespace: KYVERNO_NAMESPACE } },
    // Hook and test jobs name their own registry; route them through the mirror too.
    webhooksCleanup: { image: { registry: mirror(cluster, "reg.kyverno.io") } },
    test: { image: { registry: mirror(cluster, "reg.kyverno.io") } },
  }),
  singletons: {
    "kyverno-background-controller":
      "background scans and generation; admission is the admission controller's",
    "kyverno-cleanup-controller": "cleanup policies run on a schedule",
    "kyverno-reports-controller": "policy reports are rebuilt on restart",
  },
  connections: kyvernoConnections,
  metrics: () => [
    scrape("kyverno", pods(KYVERNO_NAMESPACE, { "app.kubernetes.io/instance": "kyverno" }, "kyverno"), 8000),
  ],
  operates: [
    {
      kind: "policies.kyverno.io/ValidatingPolicy",
      creates: { noPods: "admission verdicts, which the admission proof gives" },
    },
    {
      kind: "policies.kyverno.io/ImageValidatingPolicy",
      creates: { noPods: "admission verdicts on images" },
    },
    {
      kind: "policies.kyverno.io/MutatingPolicy",
      creates: { noPods: "changes to objects as they are admitted, which the admission proof applies" },
      // The CRD (kyverno-api 3.9.0): spec.evaluation.mutateExisting.enabled, default false.
      cannotProve: (resource) =>
        (resource.spec as { evaluation?: { mutateExisting?: { enabled?: boolean } } } | undefined)?.evaluation
          ?.mutateExisting?.enabled
          ? "it mutates existing resources in the background, which the admission proof does not model"
          : undefined,
    },
    {
      kind: "policies.kyverno.io/PolicyException",
      creates: { noPods: "exemptions the admission proof honours" },
    },
    {
      kind: "policies.kyverno.io/GeneratingPolicy",
      creates: { noPods: "NetworkPolicies in the namespaces it matches" },
      cannotProve: generatesOtherThanNetworkPolicies,
    },
  ],
};

/** A GeneratingPolicy whose objects are not all NetworkPolicies could start pods the proof never sees. */
function generatesOtherThanNetworkPolicies(resource: CustomResource): string | undefined {
  const spec = (resource.spec ?? {}) as {
    variables?: { expression?: string }[];
    generate?: { expression?: string }[];
  };
  const expressions = [...(spec.variables ?? []), ...(spec.generate ?? [])].map((e) => e.expression ?? "");
  const kinds = [...expressions.join("\n").matchAll(/"kind":\s*(?:dyn\()?"(\w+)"/g)].map((m) => m[1]);
  if (kinds.length > 0 && kinds.every((kind) => kind === "NetworkPolicy")) return undefined;
  return `it generates ${kinds.length ? [...new Set(kinds)].join(", ") : "objects whose kind its CEL does not spell out"}; only NetworkPolicies are modeled`;
}
