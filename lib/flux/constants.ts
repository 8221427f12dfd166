/** The Flux distribution the Flux Operator installs on every cluster (README, "Bootstrapping a cluster against Gitea"). */
export const FLUX_VERSION = "2.9.4";
/** Name of the GitRepository and Kustomization the FluxInstance's sync creates. */
export const FLUX_SYNC_NAME = "flux-system";
/** Annotation that makes Flux keep an object when it disappears from Git. */
export const PRUNE_DISABLED = { "kustomize.toolkit.fluxcd.io/prune": "disabled" } as const;

/**
 * The Flux Operator release the README's bootstrap installs (chart and image), and the controller
 * images it deploys for FLUX_VERSION with their digests, as that release pins them
 * (controlplaneio-fluxcd/flux-operator v0.58.1, config/data/flux-images/v2.9.4/upstream-alpine.yaml).
 * The mirror manifest lists them so the datacenter mirrors them before a cluster is bootstrapped.
 */
export const FLUX_OPERATOR = {
  version: "0.58.1",
  chart: "oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator",
  image: "ghcr.io/controlplaneio-fluxcd/flux-operator:v0.58.1",
} as const;
export const FLUX_IMAGES = [
  {
    image: "ghcr.io/fluxcd/source-controller:v1.9.4",
    digest: "sha256:8a8ed0a57b8b86f561d5a4309a69f65e62f0cebe4de8801593c5ff35a3bc3c23",
  },
  {
    image: "ghcr.io/fluxcd/kustomize-controller:v1.9.4",
    digest: "sha256:2b8bec54ffb6caf421bd2a6c005d27f567d5dd4db7feb55794fb51fcabd69b8f",
  },
  {
    image: "ghcr.io/fluxcd/helm-controller:v1.6.3",
    digest: "sha256:16ada99456385100698a5d7adf90aba8a2089d987ab541c9566b6d7b0e897038",
  },
  {
    image: "ghcr.io/fluxcd/notification-controller:v1.9.3",
    digest: "sha256:071c351a0fb163eeb6a2bb82f1e894f51b6b0734216d2e97d3d99c9ab9d710b9",
  },
] as const;
