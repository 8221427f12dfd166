import type { Manifest } from "../../k8s/model-object.ts";
import { evaluate } from "../cel.ts";
import type { KyvernoConfig } from "./engine.ts";
import { exceptionsOf, grantOf } from "./exceptions.ts";
import { constraintsSelect } from "./match.ts";
import { requestBinding, requestFor } from "./request.ts";

export type { KyvernoConfig, PolicyFinding } from "./engine.ts";
export { judgeRequest } from "./engine.ts";
export { mutateRequest } from "./mutate.ts";
export { FLUX_APPLIER, podCreator, requestFor } from "./request.ts";
export { isKyvernoPolicyGroup, served } from "./served.ts";

/** Parses Kyverno's `resourceFilters` setting (`[Kind,Namespace,Name] …`). */
export function parseResourceFilters(value: string | undefined): [string, string, string][] {
  return [...(value ?? "").matchAll(/\[([^\]]*)\]/g)].map((m) => {
    const [kind = "", namespace = "", name = ""] = (m[1] as string).split(",").map((s) => s.trim());
    return [kind, namespace, name];
  });
}

/**
 * The Namespace object Kyverno binds as `namespaceObject`: the rendered one (or one with just these
 * labels) as the API server holds it, with the name label, the default finalizer and phase Active.
 */
export function namespaceObject(name: string, labels: Record<string, string>, rendered?: Manifest): Manifest {
  const metadata = (rendered?.metadata ?? {}) as Record<string, any>;
  return {
    ...rendered,
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      ...metadata,
      name,
      labels: { ...labels, ...metadata.labels, "kubernetes.io/metadata.name": name },
    },
    spec: { finalizers: ["kubernetes"], ...(rendered?.spec ?? {}) },
    status: { phase: "Active" },
  } as Manifest;
}

/** A Kyverno policy that selects a pod, with what it does there and whether an exception exempts it. */
export interface SelectingPolicy {
  readonly policy: string;
  readonly kind: string;
  readonly actions: readonly string[];
  readonly exempt: boolean;
}

/** Every Kyverno policy (validating, image, mutating) whose constraints and conditions select this pod. */
export function policiesSelecting(
  pod: Manifest,
  namespaceLabels: Record<string, string>,
  config: KyvernoConfig,
): SelectingPolicy[] {
  const request = requestFor(pod);
  const namespace = namespaceObject(pod.metadata?.namespace ?? "", namespaceLabels);
  const bindings = {
    object: pod,
    oldObject: null,
    request: requestBinding(request),
    namespaceObject: namespace,
  };
  return config.policies
    .filter((p) => /^(Namespaced)?(Validating|ImageValidating|Mutating)Policy$/.test(p.kind))
    .flatMap((policy) => {
      const spec = (policy.spec ?? {}) as Record<string, any>;
      if (!constraintsSelect(spec.matchConstraints, request, namespace)) return [];
      const conditions = (spec.matchConditions ?? []) as { expression: string }[];
      const holds = (expression: string) => {
        const outcome = evaluate(expression, bindings);
        return outcome.ok && outcome.value === true;
      };
      if (!conditions.every((c) => holds(c.expression))) return [];
      return [
        {
          policy: policy.metadata?.name as string,
          kind: policy.kind,
          actions: policy.kind.endsWith("MutatingPolicy") ? ["Mutate"] : (spec.validationActions ?? ["Deny"]),
          exempt: grantOf(exceptionsOf(policy, config.exceptions), bindings).kind === "full",
        },
      ];
    });
}
