import { ApiObject, App } from "cdk8s";
import { EstateError } from "../errors.ts";
import { Layer, type LayerName } from "../flux/layers.ts";
import type { PinnedComponent } from "../inventory/component.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { renderApiObject } from "../k8s/final-patch.ts";
import type { Manifest } from "../k8s/model-object.ts";

/** One object of one cluster, with the Flux layer it is applied by. */
export interface RenderedObject {
  readonly cluster: Cluster;
  readonly layer: LayerName;
  readonly manifest: Manifest;
  /** Construct path, to find the code that made an object. */
  readonly constructPath: string;
}

/**
 * Adds a cluster's charts to its App. `charts/index.ts` (buildCluster) is the real one, which the
 * command entries (main.ts, commands/) pass in: nothing in lib/ imports charts/.
 */
export type ClusterBuilder = (app: App, cluster: Cluster, estate: Estate) => void;

/**
 * What the command entries hand to lib/: the charts (`charts/index.ts`) and the platform components
 * they install (`charts/components/`), which the estate loader adds to the estate.
 */
export interface Platform {
  readonly build: ClusterBuilder;
  readonly components: readonly PinnedComponent[];
}

/** Renders one cluster with its own cdk8s App (one App per cluster keeps synth linear in the estate). */
// cdk8s leaves keys unsorted when this is set; output must not depend on the environment.
delete process.env.CDK8S_DISABLE_SORT;

export function renderCluster(cluster: Cluster, estate: Estate, build: ClusterBuilder): RenderedObject[] {
  const app = new App({ outdir: "cdk8s.out" });
  build(app, cluster, estate);
  const objects: RenderedObject[] = [];
  for (const construct of app.node.findAll()) {
    if (!ApiObject.isApiObject(construct)) continue;
    const layer = Layer.of(construct);
    if (!layer) {
      throw new EstateError([
        {
          file: cluster.source,
          cluster: cluster.name,
          message: `${construct.node.path} is not inside a Flux layer`,
        },
      ]);
    }
    objects.push({
      cluster,
      layer: layer.layerName,
      manifest: renderApiObject(construct) as Manifest,
      constructPath: construct.node.path,
    });
  }
  return objects;
}

export function renderEstate(estate: Estate, build: ClusterBuilder): RenderedObject[] {
  return estate.clusters.flatMap((cluster) => renderCluster(cluster, estate, build));
}
