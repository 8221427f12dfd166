import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository";
import { Construct } from "constructs";
import type { Cluster } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";
import { FLUX_NAMESPACE } from "../platform.ts";
import { UPSTREAM_ANNOTATION } from "./upstream.ts";

export interface MirroredManifestsProps {
  readonly name: string;
  /** Repository name under the Gitea `mirrors/` organisation (a pull mirror of the upstream repository). */
  readonly repository: string;
  /** The upstream repository the Gitea mirror pulls from (the mirror manifest names it). */
  readonly upstream: string;
  readonly tag: string;
  readonly path: string;
  /** CRDs must never be pruned: deleting a CRD deletes every object of its kind. */
  readonly prune: boolean;
  /** Namespace for upstream manifests that name none (an operator's Deployment). */
  readonly targetNamespace?: string;
  /** Other Flux Kustomizations (in flux-system) to wait for. */
  readonly dependsOn?: readonly string[];
  /** Image overrides (kustomize `images`): upstream names pointed at the registry mirror. */
  readonly images?: readonly { name: string; newName: string; newTag?: string }[];
  /** Strategic-merge patches applied on top of the upstream manifests. */
  readonly patches?: readonly { patch: string; target: { kind: string; name: string } }[];
}

/** `<mirrors.git>/<repo>.git`: the cluster's Git mirror of an upstream repository. */
export function mirrorUrl(cluster: Cluster, repository: string): string {
  return `${cluster.mirrors.git}/${repository}.git`;
}

/**
 * Upstream manifests (CRDs, operators) applied from a pinned tag of a Gitea mirror of their upstream
 * repository: a GitRepository plus a Flux Kustomization, so nothing is copied into this repository
 * and nothing is fetched from the internet by the cluster.
 */
export class MirroredManifests extends Construct {
  constructor(scope: Construct, cluster: Cluster, props: MirroredManifestsProps) {
    super(scope, props.name);
    addModel(
      this,
      new GitRepository({
        metadata: {
          name: props.name,
          namespace: FLUX_NAMESPACE,
          annotations: { [UPSTREAM_ANNOTATION]: props.upstream },
        },
        spec: {
          interval: "12h",
          url: mirrorUrl(cluster, props.repository),
          ref: { tag: props.tag },
          secretRef: { name: "flux-system" },
        },
      }),
    );
    addModel(
      this,
      new Kustomization({
        metadata: { name: props.name, namespace: FLUX_NAMESPACE },
        spec: {
          interval: "1h",
          retryInterval: "2m",
          timeout: "5m",
          path: props.path,
          prune: props.prune,
          wait: true,
          sourceRef: { kind: "GitRepository", name: props.name },
          ...(props.targetNamespace ? { targetNamespace: props.targetNamespace } : {}),
          ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((name) => ({ name })) } : {}),
          ...(props.images?.length ? { images: props.images.map((i) => ({ ...i })) } : {}),
          ...(props.patches?.length
            ? { patches: props.patches.map((p) => ({ patch: p.patch, target: { ...p.target } })) }
            : {}),
        },
      }),
    );
  }
}
