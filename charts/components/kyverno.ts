import { kyvernoConnections } from "../../lib/connections/platform.ts";
import { mirror } from "../../lib/images.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
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
};
