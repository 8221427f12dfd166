import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Layer } from "../lib/flux/layers.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { denyHighDataPolicy, pinHighDataPolicy } from "../lib/rules/geo-fencing.ts";
import {
  allowedRegistryPolicy,
  fluxImagesPolicy,
  pinnedImagePolicy,
  signedImagesPolicy,
} from "../lib/rules/images.ts";
import { defaultDenyForUnmanagedNamespaces, generatorPermissions } from "../lib/rules/network-isolation.ts";
import { defaultPodSecurityLevelPolicy, podSecurityLabelPolicy } from "../lib/rules/pod-security.ts";
import { requestsLimitsPolicy } from "../lib/rules/resources.ts";

/** The admission policies of a cluster (Kyverno CEL kinds), in the configs layer after Kyverno itself. */
export class PoliciesChart extends Chart {
  constructor(scope: Construct, cluster: Cluster) {
    super(scope, "policies", { disableResourceNameHashes: true });
    const layer = Layer.in(this, "configs");
    const policies = [
      cluster.location === "cloud" ? denyHighDataPolicy(cluster) : pinHighDataPolicy(),
      allowedRegistryPolicy(cluster),
      pinnedImagePolicy(cluster),
      signedImagesPolicy(cluster),
      fluxImagesPolicy(cluster),
      requestsLimitsPolicy(cluster),
      podSecurityLabelPolicy(cluster),
      defaultPodSecurityLevelPolicy(),
      defaultDenyForUnmanagedNamespaces(),
      generatorPermissions(),
    ];
    for (const policy of policies) addModel(layer, policy);
  }
}
