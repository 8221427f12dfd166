import { ApiObject } from "cdk8s";
import { Construct, type IConstruct } from "constructs";

/**
 * The Flux layers of a cluster, applied in this order. Each is one Flux Kustomization whose `path` is
 * `dist/clusters/<cluster>/<layer>/`. The entry layer is the cluster directory itself, synced by the
 * FluxInstance.
 */
export const LAYERS = ["controllers", "configs", "apps"] as const;
export type AppliedLayer = (typeof LAYERS)[number];
export type LayerName = "entry" | AppliedLayer;

/** A construct scope whose API objects are written into one layer's directory. */
export class Layer extends Construct {
  static in(scope: Construct, name: LayerName): Layer {
    const id = `layer-${name}`;
    const existing = scope.node.tryFindChild(id);
    if (existing instanceof Layer) return existing;
    return new Layer(scope, id, name);
  }

  /** The nearest enclosing layer of a construct, or undefined when it is outside every layer. */
  static of(construct: IConstruct): Layer | undefined {
    return construct.node.scopes.findLast((s): s is Layer => s instanceof Layer);
  }

  private constructor(
    scope: Construct,
    id: string,
    readonly layerName: LayerName,
  ) {
    super(scope, id);
  }
}

/** The Flux layer each Namespace of the cluster's App is created in. */
export function namespaceLayers(scope: Construct): Map<string, LayerName> {
  const layers = new Map<string, LayerName>();
  for (const construct of scope.node.findAll()) {
    if (!ApiObject.isApiObject(construct) || construct.kind !== "Namespace" || construct.apiVersion !== "v1")
      continue;
    const layer = Layer.of(construct);
    if (layer) layers.set(construct.metadata.name as string, layer.layerName);
  }
  return layers;
}
