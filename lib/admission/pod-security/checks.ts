import { containersOf } from "../../hydrate/pods.ts";
import type { Manifest } from "../../k8s/model-object.ts";

export type Spec = Record<string, any>;

/** One version of a check: what it forbids from `since` (a 1.x minor) on. */
export interface VersionedCheck {
  readonly since: number;
  readonly check: (pod: Manifest, spec: Spec) => string[];
  /** Baseline checks this restricted version replaces (upstream's OverrideCheckIDs). */
  readonly overrides?: readonly string[];
}

/** A Pod Security check as kubernetes/pod-security-admission registers it (policy/check_*.go). */
export interface Check {
  readonly id: string;
  readonly versions: readonly VersionedCheck[];
}

/** initContainers, containers and ephemeralContainers, as upstream's visitContainers walks them. */
export const eachContainer = (spec: Spec): Spec[] =>
  containersOf({ apiVersion: "v1", kind: "Pod", spec } as Manifest).map(({ container }) => container);

/** `container "a"` or `containers "a", "b"`, as the upstream messages name them. */
export function containersNamed(names: readonly string[]): string {
  return `${names.length === 1 ? "container" : "containers"} ${names.map((n) => `"${n}"`).join(", ")}`;
}

/** A violation per offending setter (the pod, then each container), or none. */
export function forbidden(reason: string, setters: readonly string[]): string[] {
  return setters.length ? [`${reason} (${setters.join(" and ")})`] : [];
}

/** The setters of a per-container condition: `pod` when the pod-level field offends, then containers. */
export function setters(podOffends: boolean, containers: readonly string[]): string[] {
  return [...(podOffends ? ["pod"] : []), ...(containers.length ? [containersNamed(containers)] : [])];
}

/** A pod in its own user namespace (`hostUsers: false`); some controls relax from 1.35 (helpers.go). */
export const inUserNamespace = (spec: Spec) => spec.hostUsers === false;
/** `spec.os.name: windows`: from 1.25 the Linux-only restricted controls do not apply. */
export const isWindows = (spec: Spec) => spec.os?.name === "windows";
