import { ValidatingPolicy } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/ValidatingPolicy";
import type { Cluster } from "../inventory/model.ts";
import { SYSTEM_NAMESPACES } from "../namespaces/preexisting.ts";
import { POD_CONTROLLERS, podsOutside, validationActions } from "./admission.ts";
import type { PlacementRule } from "./rule.ts";

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
/** apimachinery's quantity grammar: a signed decimal, then a binary or decimal SI suffix or an exponent. */
export const QUANTITY =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

/** A Kubernetes quantity as a number (`250m` -> 0.25, `1Gi` -> 1073741824, `1e3` -> 1000). */
export function quantity(value: string): number {
  const match = QUANTITY.exec(value);
  if (!match) throw new Error(`not a quantity: ${value}`);
  const suffix = match[2] ?? "";
  // `E` alone is exa; `e3` / `E3` is an exponent
  const scale = /^[eE][+-]?[0-9]+$/.test(suffix) ? 10 ** Number(suffix.slice(1)) : (SUFFIX[suffix] as number);
  return Number(match[1]) * scale;
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
