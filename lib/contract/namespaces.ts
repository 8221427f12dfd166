import { FLUX_NAMESPACE } from "../flux/constants.ts";

/**
 * Namespaces every Kubernetes API server creates itself (kube-apiserver's system namespaces
 * controller, RKE2 included): they exist before Flux applies anything.
 */
export const KUBERNETES_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"] as const;

/**
 * Namespaces that exist before the first Flux apply on a cluster of the estate: the API server's own,
 * and `flux-system`, which the README's bootstrap creates when it installs the Flux Operator.
 */
export const NAMESPACES_BEFORE_FLUX: readonly string[] = [...KUBERNETES_NAMESPACES, FLUX_NAMESPACE];
