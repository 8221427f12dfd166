import type { Manifest } from "../../k8s/model-object.ts";
import { type LabelSelector, selectorMatches } from "../label-selector.ts";
import type { AdmissionRequest } from "./request.ts";

type Spec = Record<string, any>;

const anyOf = (values: readonly string[] | undefined, value: string) =>
  (values ?? []).some((v) => v === "*" || v === value);

/**
 * Whether a rule of `matchConstraints` names the request, as the API server's admission matches
 * webhook rules (apiserver/pkg/admission/plugin/webhook/predicates/rules): operations, groups,
 * versions, resources with subresources (`*`, `*\/*`, `pods/*`, `*\/status`), resourceNames, scope.
 */
export function ruleNames(rule: Spec, request: AdmissionRequest): boolean {
  if (!anyOf(rule.operations, request.operation)) return false;
  if (!anyOf(rule.apiGroups, request.resource.group)) return false;
  if (!anyOf(rule.apiVersions, request.resource.version)) return false;
  if (!resourceNamed(rule.resources ?? [], request.resource.resource, request.subResource)) return false;
  const names = (rule.resourceNames ?? []) as string[];
  if (names.length > 0 && !names.includes(request.name)) return false;
  const scope = rule.scope ?? "*";
  if (scope === "Cluster" && request.namespace !== "") return false;
  if (scope === "Namespaced" && request.namespace === "") return false;
  return true;
}

function resourceNamed(patterns: readonly string[], resource: string, subResource: string): boolean {
  const requested = subResource ? `${resource}/${subResource}` : resource;
  return patterns.some((pattern) => {
    if (pattern === "*/*" || pattern === requested) return true;
    const [res, sub] = pattern.split("/", 2);
    if (sub === undefined) return res === "*" && subResource === "";
    return (res === "*" || res === resource) && (sub === "*" || sub === subResource) && subResource !== "";
  });
}

/**
 * The namespaceSelector as the API server applies it: a namespaced request by its namespace's labels,
 * a Namespace by its own, any other cluster-scoped object always matches.
 */
function namespaceSelected(
  selector: LabelSelector | undefined,
  request: AdmissionRequest,
  namespace: Manifest | null,
) {
  if (!selector) return true;
  if (request.namespace !== "") return selectorMatches(selector, labelsOf(namespace));
  if (request.kind.kind === "Namespace" && request.kind.group === "")
    return selectorMatches(selector, labelsOf(request.object ?? request.oldObject));
  return true;
}

const labelsOf = (m: Manifest | null): Record<string, string> =>
  (m?.metadata?.labels ?? {}) as Record<string, string>;

/** objectSelector: the object's labels or the old object's (either matching is enough). */
function objectSelected(selector: LabelSelector | undefined, request: AdmissionRequest): boolean {
  if (!selector) return true;
  return [request.object, request.oldObject].some(
    (o) => o !== null && selectorMatches(selector, labelsOf(o)),
  );
}

/** Whether a policy's matchConstraints select this request (nil constraints select nothing). */
export function constraintsSelect(
  match: Spec | undefined,
  request: AdmissionRequest,
  namespace: Manifest | null,
): boolean {
  if (!match) return false;
  if (!((match.resourceRules ?? []) as Spec[]).some((r) => ruleNames(r, request))) return false;
  if (((match.excludeResourceRules ?? []) as Spec[]).some((r) => ruleNames(r, request))) return false;
  return (
    namespaceSelected(match.namespaceSelector, request, namespace) &&
    objectSelected(match.objectSelector, request)
  );
}
