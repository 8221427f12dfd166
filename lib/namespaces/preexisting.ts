import { FLUX_NAMESPACE } from "../platform.ts";

/**
 * The namespaces a cluster has before Flux applies anything, in one table: who creates each, whether
 * the estate's Kyverno policies judge its pods, and whether it gets the estate's default deny. The
 * lists the rest of the code reads are derived from it (below). The platform's own namespaces are
 * in the namespace registry (`platformNamespaces`, lib/namespaces/registry.ts).
 */
interface PreexistingNamespace {
  readonly name: string;
  /** kube-apiserver's system namespaces controller (RKE2 included), or the README's bootstrap. */
  readonly createdBy: "api-server" | "bootstrap";
  /** Its pods are the distribution's (RKE2's system images are not ours to sign or size). */
  readonly outsidePolicies: boolean;
  /** No default deny of ours: it would cut the cluster off from itself, or Flux renders its own. */
  readonly noDefaultDeny: boolean;
}

export const PREEXISTING_NAMESPACES: readonly PreexistingNamespace[] = [
  // Nothing of the estate runs here and nothing renders a deny here (the generating policy sees only
  // namespaces created later): the proof must not assume one.
  { name: "default", createdBy: "api-server", outsidePolicies: false, noDefaultDeny: true },
  // The control plane, the CNI and cluster DNS, which RKE2 manages.
  { name: "kube-system", createdBy: "api-server", outsidePolicies: true, noDefaultDeny: true },
  { name: "kube-public", createdBy: "api-server", outsidePolicies: true, noDefaultDeny: true },
  { name: "kube-node-lease", createdBy: "api-server", outsidePolicies: true, noDefaultDeny: true },
  // The bootstrap installs the Flux Operator here; its FluxInstance renders the controllers'
  // NetworkPolicies (`cluster.networkPolicy`), and pin-flux-images admits only the Flux images.
  { name: FLUX_NAMESPACE, createdBy: "bootstrap", outsidePolicies: false, noDefaultDeny: true },
];

const names = (keep: (n: PreexistingNamespace) => boolean) =>
  PREEXISTING_NAMESPACES.filter(keep).map((n) => n.name);

/** Namespaces every Kubernetes API server creates itself: they exist before Flux applies anything. */
export const KUBERNETES_NAMESPACES: readonly string[] = names((n) => n.createdBy === "api-server");
/** Namespaces that exist before the first Flux apply: the API server's own and the bootstrap's. */
export const NAMESPACES_BEFORE_FLUX: readonly string[] = names(() => true);
/** Namespaces run by the Kubernetes distribution itself, which the estate's policies do not judge. */
export const SYSTEM_NAMESPACES: readonly string[] = names((n) => n.outsidePolicies);
/** Namespaces that get no default deny from the estate. */
export const UNMANAGED_NAMESPACES: readonly string[] = names((n) => n.noDefaultDeny);
