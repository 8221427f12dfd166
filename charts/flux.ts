import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import { Alert } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Alert";
import { Provider } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Provider";
import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { FLUX_SYNC_NAME, FLUX_VERSION, PRUNE_DISABLED } from "../lib/flux/constants.ts";
import type { FluxInstance } from "../lib/flux/flux-instance.ts";
import { type AppliedLayer, LAYERS, Layer } from "../lib/flux/layers.ts";
import { MirroredManifests } from "../lib/flux/mirrored-manifests.ts";
import { mirror } from "../lib/images.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { podSecurityOf } from "../lib/namespaces/registry.ts";
import { clusterPath, layerPath } from "../lib/paths.ts";
import { FLUX_NAMESPACE } from "../lib/platform.ts";
import { KEYCLOAK_OPERATOR_SYNC } from "./identity.ts";

/**
 * How each layer reconciles. Controllers change rarely and install CRDs (long timeout); apps change
 * often and should report fast. `wait` makes a layer Ready only when everything in it is healthy, so
 * `dependsOn` really orders CRDs -> custom resources -> workloads.
 */
const LAYER_TIMING: Record<AppliedLayer, { interval: string; retryInterval: string; timeout: string }> = {
  controllers: { interval: "1h", retryInterval: "2m", timeout: "15m" },
  configs: { interval: "30m", retryInterval: "1m", timeout: "5m" },
  apps: { interval: "10m", retryInterval: "1m", timeout: "10m" },
};

const COMMIT_STATUS_SECRET = "gitea-commit-status";

export const GATEWAY_API_CRDS = {
  name: "gateway-api-crds",
  repository: "gateway-api",
  upstream: "https://github.com/kubernetes-sigs/gateway-api",
  tag: "v1.3.0",
  path: "./config/crd/standard",
  prune: false,
} as const;

/**
 * Secrets reach Git only SOPS-encrypted (synth refuses a plaintext Secret); kustomize-controller
 * decrypts them with the cluster's age key, created once at bootstrap as Secret `sops-age`.
 */
export const SOPS_DECRYPTION = { provider: "sops" as const, secretRef: { name: "sops-age" } };

/** Only `dist/` is visible to Flux: the sync source ignores everything else in the repository. */
const SOURCE_IGNORE = "/*\n!/dist/\n";

/** The entry of a cluster's Flux tree: the FluxInstance that syncs it, and one Kustomization per layer. */
export class FluxChart extends Chart {
  constructor(scope: Construct, cluster: Cluster) {
    super(scope, "flux", { disableResourceNameHashes: true });
    const entry = Layer.in(this, "entry");

    addModel(
      entry,
      new Namespace({
        metadata: {
          name: FLUX_NAMESPACE,
          // The Flux controllers run as non-root with a read-only root file system: restricted fits.
          labels: { "pod-security.kubernetes.io/enforce": podSecurityOf(FLUX_NAMESPACE) },
          annotations: { ...PRUNE_DISABLED },
        },
      }),
    );
    addModel(entry, fluxInstance(cluster));

    // The Gateway API CRDs (standard channel, the version Kong's controller builds against) before anything.
    new MirroredManifests(entry, cluster, GATEWAY_API_CRDS);
    layerKustomizations(entry, cluster);
    commitStatus(entry, cluster);
  }
}

/** One Kustomization per layer, each after the one before it (the first after the Gateway API CRDs). */
function layerKustomizations(entry: Construct, cluster: Cluster): void {
  let previous: AppliedLayer | undefined;
  for (const layer of LAYERS) {
    addModel(
      entry,
      new Kustomization({
        metadata: { name: layer, namespace: FLUX_NAMESPACE },
        spec: {
          ...LAYER_TIMING[layer],
          path: `./${layerPath(cluster.name, layer)}`,
          sourceRef: { kind: "GitRepository", name: FLUX_SYNC_NAME },
          prune: true,
          wait: true,
          // Every layer may hold SOPS-encrypted Secrets (in the layer of their namespace).
          decryption: SOPS_DECRYPTION,
          dependsOn: [
            { name: previous ?? GATEWAY_API_CRDS.name },
            // Custom resources wait for the operator whose CRDs they need (Keycloak, realm import).
            ...(layer === "apps" && cluster.hosts.includes("identity")
              ? [{ name: KEYCLOAK_OPERATOR_SYNC }]
              : []),
          ],
        },
      }),
    );
    previous = layer;
  }
}

/** Each layer's Ready reported to Gitea as the commit's status. */
function commitStatus(entry: Construct, cluster: Cluster): void {
  addModel(
    entry,
    new Provider({
      metadata: { name: "gitea-commit-status", namespace: FLUX_NAMESPACE },
      spec: {
        type: "gitea",
        address: cluster.git.url.replace(/\.git$/, ""),
        secretRef: { name: COMMIT_STATUS_SECRET },
      },
    }),
  );
  addModel(
    entry,
    new Alert({
      metadata: { name: "gitea-commit-status", namespace: FLUX_NAMESPACE },
      spec: {
        providerRef: { name: "gitea-commit-status" },
        eventSeverity: "info",
        eventSources: LAYERS.map((name) => ({ kind: "Kustomization" as const, name })),
      },
    }),
  );
}

function fluxInstance(cluster: Cluster): FluxInstance {
  return {
    apiVersion: "fluxcd.controlplane.io/v1",
    kind: "FluxInstance",
    metadata: {
      name: "flux",
      namespace: FLUX_NAMESPACE,
      // Deleting the FluxInstance uninstalls Flux: never let a refactor prune it.
      annotations: { ...PRUNE_DISABLED, "fluxcd.controlplane.io/reconcileEvery": "1h" },
    },
    spec: {
      distribution: { version: FLUX_VERSION, registry: mirror(cluster, "ghcr.io/fluxcd") },
      components: ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"],
      cluster: {
        type: cluster.provider === "azure" ? "azure" : "kubernetes",
        multitenant: false,
        networkPolicy: true,
        // The cluster domain the platform contract names (the Flux controllers' in-cluster addresses).
        domain: cluster.platform.clusterDns.domain,
      },
      sync: {
        kind: "GitRepository",
        url: cluster.git.url,
        ref: `refs/heads/${cluster.git.branch}`,
        path: clusterPath(cluster.name),
        interval: "1m",
        pullSecret: "flux-system",
      },
      kustomize: {
        patches: [
          {
            target: { kind: "GitRepository", name: FLUX_SYNC_NAME },
            patch: `- op: add\n  path: /spec/ignore\n  value: ${JSON.stringify(SOURCE_IGNORE)}\n`,
          },
        ],
      },
      wait: true,
    },
  };
}
