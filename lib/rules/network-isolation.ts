import { GeneratingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/GeneratingPolicy";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { SYSTEM_NAMESPACES } from "../namespaces/preexisting.ts";

/** Label Flux's kustomize-controller puts on everything it applies: its absence means "not from Git". */
export const FLUX_OWNER_LABEL = "kustomize.toolkit.fluxcd.io/name";

/**
 * A namespace created outside Git (by hand, by an operator) gets the same default-deny and DNS egress
 * that synth renders for namespaces in Git, so nothing starts in an open network.
 */
export function defaultDenyForUnmanagedNamespaces(): GeneratingPolicy {
  const excluded = SYSTEM_NAMESPACES.map((n) => `'${n}'`).join(", ");
  return new GeneratingPolicy({
    metadata: { name: "default-deny-unmanaged-namespaces" },
    spec: {
      evaluation: { synchronize: { enabled: true } },
      matchConstraints: {
        resourceRules: [
          { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["namespaces"] },
        ],
      },
      matchConditions: [
        {
          name: "created-outside-git",
          expression: `!(has(object.metadata.labels) && '${FLUX_OWNER_LABEL}' in object.metadata.labels) && !(object.metadata.name in [${excluded}])`,
        },
      ],
      variables: [
        {
          name: "policies",
          expression: `[
  {"apiVersion": dyn("networking.k8s.io/v1"), "kind": dyn("NetworkPolicy"),
   "metadata": dyn({"name": "default-deny"}),
   "spec": dyn({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})},
  {"apiVersion": dyn("networking.k8s.io/v1"), "kind": dyn("NetworkPolicy"),
   "metadata": dyn({"name": "allow-dns"}),
   "spec": dyn({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{
     "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
             "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
     "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]})}
]`,
        },
      ],
      generate: [{ expression: "generator.Apply(object.metadata.name, variables.policies)" }],
    },
  });
}

/** Kyverno's background controller may only create what it generates: NetworkPolicies. */
export function generatorPermissions(): ClusterRole {
  return new ClusterRole({
    metadata: {
      name: "kyverno-generate-networkpolicies",
      labels: { "rbac.kyverno.io/aggregate-to-background-controller": "true" },
    },
    rules: [
      {
        apiGroups: ["networking.k8s.io"],
        resources: ["networkpolicies"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
      },
    ],
  });
}
