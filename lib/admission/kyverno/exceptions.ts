import type { Manifest } from "../../k8s/model-object.ts";
import { evaluate } from "../cel.ts";

type Spec = Record<string, any>;

/** What the exceptions that name a policy grant for one request (compiler/policy.go, evaluateWithData). */
export type ExceptionGrant =
  | { readonly kind: "full"; readonly exceptions: readonly string[] }
  | { readonly kind: "partial"; readonly allowedImages: string[]; readonly allowedValues: string[] }
  | { readonly kind: "error"; readonly message: string; readonly unsupported: boolean };

/** The exceptions whose policyRefs name this policy (by name and kind), in order. */
export function exceptionsOf(policy: Manifest, exceptions: readonly Manifest[]): Manifest[] {
  return exceptions.filter((ex) =>
    ((ex.spec as Spec)?.policyRefs ?? []).some(
      (r: Spec) => r.name === policy.metadata?.name && r.kind === policy.kind,
    ),
  );
}

/**
 * Kyverno evaluates each exception's match conditions in order (no conditions: it matches). A match
 * without `images` or `allowedValues` exempts the request fully; one with them only offers its images
 * and values to the validations (`exceptions.allowedImages`, `exceptions.allowedValues`). A condition
 * that fails to evaluate fails the policy, unless a full exemption was already found.
 */
export function grantOf(exceptions: readonly Manifest[], bindings: Record<string, unknown>): ExceptionGrant {
  const full: string[] = [];
  const allowedImages: string[] = [];
  const allowedValues: string[] = [];
  for (const ex of exceptions) {
    const spec = (ex.spec ?? {}) as Spec;
    const name = `${ex.metadata?.namespace ?? ""}/${ex.metadata?.name}`;
    let matched = true;
    for (const c of (spec.matchConditions ?? []) as Spec[]) {
      const outcome = evaluate(c.expression, bindings);
      if (!outcome.ok) {
        // a broken exception after a full exemption does not take it back
        if (full.length) {
          matched = false;
          break;
        }
        return {
          kind: "error",
          message: `exception ${name}: condition "${c.name ?? c.expression}" fails to evaluate: ${outcome.error}`,
          unsupported: outcome.unsupported,
        };
      }
      if (outcome.value !== true) {
        matched = false;
        break;
      }
    }
    if (!matched) continue;
    const images = (spec.images ?? []) as string[];
    const values = (spec.allowedValues ?? []) as string[];
    if (images.length === 0 && values.length === 0) full.push(name);
    else if (full.length === 0) {
      allowedImages.push(...images);
      allowedValues.push(...values);
    }
  }
  return full.length ? { kind: "full", exceptions: full } : { kind: "partial", allowedImages, allowedValues };
}
