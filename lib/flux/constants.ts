/** The Flux distribution the Flux Operator installs on every cluster (DESIGN.md section 8). */
export const FLUX_VERSION = "2.9.4";
export const FLUX_NAMESPACE = "flux-system";
/** Name of the GitRepository and Kustomization the FluxInstance's sync creates. */
export const FLUX_SYNC_NAME = "flux-system";
/** Annotation that makes Flux keep an object when it disappears from Git. */
export const PRUNE_DISABLED = { "kustomize.toolkit.fluxcd.io/prune": "disabled" } as const;
