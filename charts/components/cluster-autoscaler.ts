import { autoscalerConnections } from "../../lib/connections/autoscaler.ts";
import { mirror } from "../../lib/images.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import type { Cluster } from "../../lib/inventory/model.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";
import { AUTOSCALER_NAMESPACE } from "../../lib/platform.ts";

/**
 * The cluster-autoscaler on a cluster with `autoscaling` pools (Azure scale sets): it adds a node when
 * pods cannot be scheduled and drains and removes one that has been unneeded for ten minutes, within
 * each pool's min and max. It signs in as the scale sets' user-assigned managed identity through the
 * node's metadata service (no secret in Git or in the cluster) and calls Azure Resource Manager on
 * its private endpoint. Scale sets rather than Rancher machine pools: these clusters are not
 * provisioned by Rancher, and the autoscaler's Rancher provider drives only clusters Rancher built.
 */
export const clusterAutoscaler: PlatformComponent = {
  name: "cluster-autoscaler",
  chart: "cluster-autoscaler",
  namespace: AUTOSCALER_NAMESPACE,
  ownNamespace: { holds: "the cluster-autoscaler", podSecurity: "restricted" },
  layer: "controllers",
  runsOn: (cluster) => !!cluster.autoscaling,
  values: autoscalerValues,
  freeFormValues: [
    {
      path: "extraArgs",
      why: "every key becomes a --<key>=<value> flag of the autoscaler (templates/deployment.yaml ranges over it)",
    },
  ],
  singletons: {
    "cluster-autoscaler-azure-cluster-autoscaler": "the autoscaler itself; scaling waits while it moves",
  },
  connections: autoscalerConnections,
};

function autoscalerValues(cluster: Cluster): Record<string, unknown> {
  const scaling = cluster.autoscaling;
  if (!scaling) throw new Error(`${cluster.name} has no autoscaling pools`);
  return {
    cloudProvider: "azure",
    azureVMType: "vmss",
    azureSubscriptionID: scaling.subscription,
    azureResourceGroup: scaling.resourceGroup,
    azureUseManagedIdentityExtension: true,
    azureUserAssignedIdentityID: scaling.identity,
    autoscalingGroups: scaling.pools.map((p) => ({ name: p.name, minSize: p.min, maxSize: p.max })),
    image: { repository: mirror(cluster, "registry.k8s.io/autoscaling/cluster-autoscaler") },
    extraArgs: {
      "balance-similar-node-groups": true,
      expander: "least-waste",
      "scale-down-unneeded-time": "10m",
      // Pods with emptyDir volumes hold only scratch data on these stateless nodes.
      "skip-nodes-with-local-storage": false,
    },
    resources: resources(["100m", "500m"], ["300Mi", "600Mi"]),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
  };
}
