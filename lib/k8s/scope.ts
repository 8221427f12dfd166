/** Kinds the project or its charts render that are cluster-scoped: they must never carry a namespace. */
const CLUSTER_SCOPED = new Set([
  "v1/Namespace",
  "rbac.authorization.k8s.io/v1/ClusterRole",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
  "apiextensions.k8s.io/v1/CustomResourceDefinition",
  "gateway.networking.k8s.io/v1/GatewayClass",
  "configuration.konghq.com/v1/KongClusterPlugin",
  "policies.kyverno.io/v1/ValidatingPolicy",
  "policies.kyverno.io/v1/ImageValidatingPolicy",
  "policies.kyverno.io/v1/MutatingPolicy",
  "policies.kyverno.io/v1/GeneratingPolicy",
  "storage.k8s.io/v1/StorageClass",
  "scheduling.k8s.io/v1/PriorityClass",
  "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding",
  "apiregistration.k8s.io/v1/APIService",
  "node.k8s.io/v1/RuntimeClass",
  "cert-manager.io/v1/ClusterIssuer",
  "nvidia.com/v1/ClusterPolicy",
]);

export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(`${apiVersion}/${kind}`);
}
