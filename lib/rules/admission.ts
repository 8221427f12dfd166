import type { IIoK8sApiAdmissionregistrationV1MatchResources } from "kubernetes-models/admissionregistration.k8s.io/v1/MatchResources";
import type { Cluster } from "../inventory/model.ts";

/** Production enforces every policy; non-prod clusters audit, so teams see violations without outages. */
export function validationActions(cluster: Cluster): Array<"Deny" | "Audit"> {
  return cluster.production ? ["Deny"] : ["Audit"];
}

/** Every pod-controller kind Kyverno's autogen writes the pod rules for. */
export const POD_CONTROLLERS = [
  "deployments",
  "statefulsets",
  "daemonsets",
  "jobs",
  "cronjobs",
  "replicasets",
];

/**
 * Pods (CREATE, UPDATE) outside the given namespaces. With none to leave out the selector is omitted:
 * Kyverno copies it into its webhook configuration, and the API server refuses `NotIn` without values.
 */
export function podsOutside(namespaces: readonly string[]): IIoK8sApiAdmissionregistrationV1MatchResources {
  return {
    ...(namespaces.length > 0
      ? {
          namespaceSelector: {
            matchExpressions: [
              { key: "kubernetes.io/metadata.name", operator: "NotIn", values: [...namespaces] },
            ],
          },
        }
      : {}),
    resourceRules: [
      { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] },
    ],
  };
}

/** CEL, in plain syntax (no `.?`): the pod carries label `key` with value `value`. */
export function labelIs(key: string, value: string): string {
  return `has(object.metadata.labels) && '${key}' in object.metadata.labels && object.metadata.labels['${key}'] == '${value}'`;
}

/** CEL list of every container of a pod: init, regular and ephemeral. */
export const ALL_CONTAINERS =
  "object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : []) + (has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])";
