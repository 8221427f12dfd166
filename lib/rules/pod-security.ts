import { MutatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/MutatingPolicy";
import { ValidatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/ValidatingPolicy";
import type { Cluster } from "../inventory/model.ts";
import { SYSTEM_NAMESPACES } from "../namespaces/preexisting.ts";
import { validationActions } from "./admission.ts";

export const POD_SECURITY_ENFORCE = "pod-security.kubernetes.io/enforce";
export const POD_SECURITY_ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version";

/**
 * Pod Security Admission does the enforcing; this policy makes sure no namespace goes without a
 * level. Synth renders `restricted` on every application namespace; the exceptions are platform
 * components that need more, each with its reason in the namespace registry
 * (lib/namespaces/registry.ts).
 */
export function podSecurityLabelPolicy(cluster: Cluster): ValidatingPolicy {
  const excluded = SYSTEM_NAMESPACES.map((n) => `'${n}'`).join(", ");
  return new ValidatingPolicy({
    metadata: { name: "require-pod-security-level" },
    spec: {
      validationActions: validationActions(cluster),
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [""],
            apiVersions: ["v1"],
            operations: ["CREATE", "UPDATE"],
            resources: ["namespaces"],
          },
        ],
      },
      matchConditions: [
        { name: "not-a-system-namespace", expression: `!(object.metadata.name in [${excluded}])` },
      ],
      validations: [
        {
          expression: `has(object.metadata.labels) && '${POD_SECURITY_ENFORCE}' in object.metadata.labels && object.metadata.labels['${POD_SECURITY_ENFORCE}'] in ['restricted', 'baseline', 'privileged']`,
          message: `every namespace needs a ${POD_SECURITY_ENFORCE} level (restricted unless a component needs less)`,
        },
      ],
    },
  });
}

/**
 * A namespace created without a level gets `restricted` (the API server's default on RKE2 would be
 * privileged): what Rancher creates at run time (cattle-impersonation-system, cattle-global-data,
 * its cluster and project namespaces, lib/hydrate/rancher-system-charts.ts) and anything else
 * created outside Git then holds only restricted pods, and the label policy admits it. A level
 * given explicitly is kept. Runs before validation, so the policy above sees the label.
 */
export function defaultPodSecurityLevelPolicy(): MutatingPolicy {
  const excluded = SYSTEM_NAMESPACES.map((n) => `'${n}'`).join(", ");
  return new MutatingPolicy({
    metadata: { name: "default-pod-security-level" },
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["namespaces"] },
        ],
      },
      matchConditions: [
        { name: "not-a-system-namespace", expression: `!(object.metadata.name in [${excluded}])` },
        {
          name: "no-level",
          expression: `!has(object.metadata.labels) || !('${POD_SECURITY_ENFORCE}' in object.metadata.labels)`,
        },
      ],
      mutations: [
        {
          patchType: "ApplyConfiguration",
          applyConfiguration: {
            expression: `Object{metadata: Object.metadata{labels: {"${POD_SECURITY_ENFORCE}": "restricted", "${POD_SECURITY_ENFORCE_VERSION}": "latest"}}}`,
          },
        },
      ],
    },
  });
}
