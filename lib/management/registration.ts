import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import type { Cluster } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";
import { podSecurityOf } from "../namespaces/registry.ts";
import { REGISTRATION_NAMESPACE } from "../platform.ts";
import { AGENT_MAX_UNAVAILABLE, AGENT_RESOURCES } from "./rancher.ts";

/**
 * Registration as Git data: on the management home, one provisioning.cattle.io Cluster per managed
 * cluster, without `rkeConfig` (imported: Rancher manages it, does not build it). Rancher answers
 * with a management cluster `c-m-…` and its registration token, which go once into the managed
 * cluster's SOPS Secret (README, "Registering a cluster with Rancher"). The agent customization is
 * ours, so the agent Rancher applies on connecting has the same requests and limits as Flux's.
 */
export function registrations(scope: Construct, managed: readonly Cluster[]): void {
  addModel(
    scope,
    new Namespace({
      metadata: {
        name: REGISTRATION_NAMESPACE,
        labels: {
          "pod-security.kubernetes.io/enforce": podSecurityOf(REGISTRATION_NAMESPACE),
          "pod-security.kubernetes.io/enforce-version": "latest",
        },
      },
    }),
  );
  for (const cluster of managed)
    new ApiObject(scope, `registration-${cluster.name}`, {
      apiVersion: "provisioning.cattle.io/v1",
      kind: "Cluster",
      metadata: {
        name: cluster.name,
        namespace: REGISTRATION_NAMESPACE,
        annotations: { "field.cattle.io/description": cluster.description },
      },
      spec: {
        clusterAgentDeploymentCustomization: {
          overrideResourceRequirements: AGENT_RESOURCES,
          schedulingCustomization: {
            podDisruptionBudget: { maxUnavailable: String(AGENT_MAX_UNAVAILABLE) },
          },
        },
      },
    });
}
