import type { Manifest } from "../../k8s/model-object.ts";

const GROUP = "policies.kyverno.io";

/** The versions Kyverno 1.19's CRDs serve, per kind (charts/kyverno-api/templates/policies.kyverno.io_*.yaml). */
const SERVED: Record<string, readonly string[]> = {
  ValidatingPolicy: ["v1", "v1beta1", "v1alpha1"],
  NamespacedValidatingPolicy: ["v1", "v1beta1"],
  ImageValidatingPolicy: ["v1", "v1beta1", "v1alpha1"],
  NamespacedImageValidatingPolicy: ["v1", "v1beta1"],
  MutatingPolicy: ["v1", "v1beta1", "v1alpha1"],
  NamespacedMutatingPolicy: ["v1", "v1beta1"],
  GeneratingPolicy: ["v1", "v1beta1", "v1alpha1"],
  NamespacedGeneratingPolicy: ["v1", "v1beta1"],
  DeletingPolicy: ["v1", "v1beta1", "v1alpha1"],
  NamespacedDeletingPolicy: ["v1", "v1beta1"],
  PolicyException: ["v1", "v1beta1", "v1alpha1"],
};

export const isKyvernoPolicyGroup = (m: Manifest) => String(m.apiVersion ?? "").startsWith(`${GROUP}/`);

/** Whether the API server serves this Kyverno object at its apiVersion (all served versions share one schema). */
export function served(m: Manifest): boolean {
  const version = String(m.apiVersion ?? "").slice(GROUP.length + 1);
  return isKyvernoPolicyGroup(m) && (SERVED[m.kind] ?? []).includes(version);
}

/** The kinds whose admission verdicts the proof evaluates. */
export const VALIDATING_KINDS = ["ValidatingPolicy", "NamespacedValidatingPolicy"];
export const IMAGE_KINDS = ["ImageValidatingPolicy", "NamespacedImageValidatingPolicy"];
