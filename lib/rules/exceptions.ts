import { PolicyException } from "@kubernetes-models/kyverno/policies.kyverno.io/v1/PolicyException";
import type { PlatformException } from "../inventory/component.ts";
import { KYVERNO_NAMESPACE } from "../platform.ts";

/** The annotation every PolicyException carries to say why the platform needs it. */
export const EXCEPTION_REASON = "waterschap.example/reason";

/** Pods a Job creates, and the Job itself (Kyverno's autogen judges both). */
export const JOB_PODS =
  "object.kind == 'Job' || (has(object.metadata.labels) && 'batch.kubernetes.io/job-name' in object.metadata.labels)";

/**
 * A Kyverno PolicyException (`policies.kyverno.io/v1`) for a platform component that legitimately
 * cannot meet a policy, scoped to its namespace and the named policies, with its reason in an
 * annotation. It lives in Kyverno's exception namespace, the only one Kyverno reads exceptions from.
 */
export function platformException(exception: PlatformException): PolicyException {
  const scope = `request.namespace == '${exception.namespace}'`;
  return new PolicyException({
    metadata: {
      name: exception.name,
      namespace: KYVERNO_NAMESPACE,
      annotations: { [EXCEPTION_REASON]: exception.reason },
    },
    spec: {
      policyRefs: exception.policies.map((name) => ({ name, kind: "ValidatingPolicy" })),
      matchConditions: [
        {
          name: "scope",
          expression: exception.condition ? `${scope} && (${exception.condition})` : scope,
        },
      ],
    },
  });
}
