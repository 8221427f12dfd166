import { KUBE_VERSION } from "../../helm/render.ts";
import type { PodSecurityLevel } from "../../inventory/component.ts";
import type { Manifest } from "../../k8s/model-object.ts";
import { BASELINE_CHECKS } from "./baseline.ts";
import type { Check, Spec, VersionedCheck } from "./checks.ts";
import { RESTRICTED_CHECKS } from "./restricted.ts";

/** The policy version the API server evaluates `latest` (and anything newer) as: its own minor. */
export const LATEST_POLICY_VERSION = Number(KUBE_VERSION.split(".")[1]);

/**
 * The Pod Security Standards as the API server's Pod Security Admission enforces them: the checks
 * of kubernetes/pod-security-admission (policy/check_*.go), each at the newest version not after
 * `version` (a 1.x minor; the cluster clamps it to its own, see policyVersion), restricted checks replacing the baseline checks they override
 * (policy/registry.go). Checked against upstream's fixtures for every version
 * (test/pod-security-conformance.test.ts).
 */
export function podSecurityViolations(
  pod: Manifest,
  level: PodSecurityLevel,
  version: number = LATEST_POLICY_VERSION,
): string[] {
  if (level === "privileged") return [];
  const v = version;
  const spec = (pod.spec ?? {}) as Spec;
  const restricted = level === "restricted" ? chosen(RESTRICTED_CHECKS, v) : [];
  const overridden = new Set(restricted.flatMap(([, c]) => c.overrides ?? []));
  const baseline = chosen(BASELINE_CHECKS, v).filter(([id]) => !overridden.has(id));
  return [...baseline, ...restricted].flatMap(([, c]) => c.check(pod, spec));
}

/** Each check's newest version at `v`, by id; checks that did not exist yet are left out. */
function chosen(checks: readonly Check[], v: number): [string, VersionedCheck][] {
  return checks.flatMap((check) => {
    const current = check.versions.filter((c) => c.since <= v).at(-1);
    return current ? [[check.id, current] as [string, VersionedCheck]] : [];
  });
}

/**
 * The policy version a namespace's `enforce-version` label asks for, as upstream parses it
 * (api/helpers.go): `latest` or `v1.<minor>`; anything else is an error there and evaluates as latest.
 */
export function policyVersion(label: string | undefined): { version: number; error?: string } {
  if (label === undefined || label === "latest") return { version: LATEST_POLICY_VERSION };
  const match = /^v1\.(0|[1-9][0-9]*)$/.exec(label);
  if (!match) return { version: LATEST_POLICY_VERSION, error: `must be "latest" or "v1.x", not "${label}"` };
  return { version: Math.min(Number(match[1]), LATEST_POLICY_VERSION) };
}
