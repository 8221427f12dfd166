import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { HelmComponent } from "../lib/flux/helm-component.ts";
import { Layer } from "../lib/flux/layers.ts";
import { runsOn } from "../lib/inventory/component.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { platformException } from "../lib/rules/exceptions.ts";

/**
 * Every platform component (charts/components/) that runs on this cluster, in its Flux layer: its
 * HelmRelease and chart source, its namespace when it owns one, and its PolicyExceptions (configs
 * layer, after Kyverno). What a component needs beside its release is in the chart of its domain.
 */
export class ComponentsChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "components", { disableResourceNameHashes: true });
    for (const component of estate.components) {
      if (!runsOn(component, cluster, estate)) continue;
      new HelmComponent(Layer.in(this, component.layer), cluster, estate, component);
      for (const exception of component.exceptions ?? [])
        addModel(Layer.in(this, "configs"), platformException(exception));
    }
  }
}
