import { ValidatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/ValidatingPolicy";
import type { Cluster } from "../inventory/model.ts";
import { POD_CONTROLLERS, podsOutside, SYSTEM_NAMESPACES, validationActions } from "./admission.ts";
import type { PlacementRule } from "./rule.ts";

const SUFFIX: Record<string, number> = {
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity as a number (`250m` -> 0.25, `1Gi` -> 1073741824). */
export function quantity(value: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (!match) throw new Error(`not a quantity: ${value}`);
  return Number(match[1]) * (SUFFIX[match[2] ?? ""] as number);
}

export const requestsWithinLimits: PlacementRule = {
  id: "requests-limits",
  field: "resources",
  check: ({ workload: { resources } }) => {
    const over = (["cpu", "memory"] as const).filter(
      (r) => quantity(resources.requests[r]) > quantity(resources.limits[r]),
    );
    return over.length ? `requests exceed limits for ${over.join(" and ")}` : undefined;
  },
};

/** Every container states cpu and memory requests and limits, so the scheduler and quotas can work. */
export function requestsLimitsPolicy(cluster: Cluster): ValidatingPolicy {
  const has = (path: string) =>
    `has(c.resources) && has(c.resources.${path}) && 'cpu' in c.resources.${path} && 'memory' in c.resources.${path}`;
  return new ValidatingPolicy({
    metadata: { name: "require-requests-limits" },
    spec: {
      validationActions: validationActions(cluster),
      matchConstraints: podsOutside(SYSTEM_NAMESPACES),
      autogen: { podControllers: { controllers: POD_CONTROLLERS } },
      validations: [
        {
          expression: `object.spec.containers.all(c, ${has("requests")} && ${has("limits")})`,
          message: "every container needs cpu and memory requests and limits",
        },
      ],
    },
  });
}
