import { MutatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/MutatingPolicy";
import { ValidatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/ValidatingPolicy";
import type { Cluster } from "../inventory/model.ts";
import { DATA_LEVEL_LABEL } from "../k8s/labels.ts";
import { labelIs, POD_CONTROLLERS, podsOutside, validationActions } from "./admission.ts";
import type { PlacementRule } from "./rule.ts";

/** Node label that marks a node as standing in the organisation's own datacenter. */
export const LOCATION_NODE_LABEL = "topology.waterschap.example/location";

export const geoFencing: PlacementRule = {
  id: "geo-fencing",
  field: "dataLevel",
  check: (p) =>
    p.workload.dataLevel === "high" && p.cluster.location === "cloud"
      ? `data-level=high must stay in the datacenter, and ${p.cluster.name} is a cloud cluster`
      : undefined,
};

/** Cloud clusters: deny any pod, or pod controller (autogen), labelled data-level=high. */
export function denyHighDataPolicy(cluster: Cluster): ValidatingPolicy {
  return new ValidatingPolicy({
    metadata: { name: "geo-fence-high-data" },
    spec: {
      validationActions: validationActions(cluster),
      matchConstraints: podsOutside([]),
      autogen: { podControllers: { controllers: POD_CONTROLLERS } },
      validations: [
        {
          expression: `!(${labelIs(DATA_LEVEL_LABEL, "high")})`,
          message: `data-level=high workloads may not run on ${cluster.name}: it is a cloud cluster`,
          reason: "Forbidden",
        },
      ],
    },
  });
}

/** The node affinity that keeps a pod on datacenter nodes; rendered into high workloads on-prem too. */
export function onPremAffinity() {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: LOCATION_NODE_LABEL, operator: "In", values: ["on-prem"] }] },
        ],
      },
    },
  };
}

/** On-prem clusters: pods labelled data-level=high get node affinity to on-prem nodes. */
export function pinHighDataPolicy(): MutatingPolicy {
  const term = `Object.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
  return new MutatingPolicy({
    metadata: { name: "geo-fence-high-data-on-prem-nodes" },
    spec: {
      matchConstraints: podsOutside([]),
      matchConditions: [{ name: "data-level-high", expression: labelIs(DATA_LEVEL_LABEL, "high") }],
      autogen: { podControllers: { controllers: [] } },
      mutations: [
        {
          patchType: "ApplyConfiguration",
          applyConfiguration: {
            expression: `Object{spec: Object.spec{affinity: Object.spec.affinity{nodeAffinity: Object.spec.affinity.nodeAffinity{requiredDuringSchedulingIgnoredDuringExecution: ${term}{nodeSelectorTerms: [${term}.nodeSelectorTerms{matchExpressions: [${term}.nodeSelectorTerms.matchExpressions{key: "${LOCATION_NODE_LABEL}", operator: "In", values: ["on-prem"]}]}]}}}}}`,
          },
        },
      ],
    },
  });
}
