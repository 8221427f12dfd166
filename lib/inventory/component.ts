import type { Connection, MetricsEndpoint } from "./connection.ts";
import type { Cluster, Estate } from "./model.ts";

/**
 * A platform component: one Helm chart the estate installs with Flux, and everything the platform
 * must know about it, in one descriptor (charts/components/<name>.ts, pinned in
 * charts/components/index.ts). synth installs it where it runs; the namespace registry, the
 * connections, the values-key check, the drain check and the admission policies read the rest.
 */
export interface PlatformComponent {
  /** The HelmRelease's name, and its chart source's. */
  readonly name: string;
  /** The chart's name; its exact version is the pin in charts/components/index.ts. */
  readonly chart: string;
  readonly namespace: string;
  /**
   * The namespace's row in the registry (lib/namespaces/registry.ts), when this component renders
   * its namespace; without it the namespace is another component's or the platform's own.
   */
  readonly ownNamespace?: NamespaceRow;
  /** The Flux layer that applies it: controllers (before the policies) or apps. */
  readonly layer: "controllers" | "apps";
  /** Whether a cluster runs it; every cluster when not given. */
  readonly runsOn?: (cluster: Cluster, estate: Estate) => boolean;
  readonly values: (cluster: Cluster, estate: Estate) => Record<string, unknown>;
  /** Other components (HelmReleases of the same cluster) that must be Ready first. */
  readonly dependsOn?: readonly { readonly name: string; readonly namespace: string }[];
  /**
   * The chart keeps data (a PersistentVolumeClaim, a StatefulSet with volume claims): the HelmRelease
   * is never pruned. `npm run validate` fails when a chart renders such volumes without it.
   */
  readonly keepsData?: boolean;
  /** Why the chart's hooks are not run (every action disables them); the proof then leaves them out. */
  readonly withoutHooks?: string;
  /** Values keys the chart reads but its values.yaml does not list, each with the template that reads it. */
  readonly freeFormValues?: readonly FreeFormValue[];
  /**
   * Its Deployments and StatefulSets (by name, in its namespace) that run one replica on purpose, each
   * with why its short absence while a node drains is harmless; the rest must survive a drain.
   */
  readonly singletons?: Readonly<Record<string, string>>;
  /** What its pods open and what opens them (lib/connections/ has the building blocks). */
  readonly connections?: (cluster: Cluster, estate: Estate) => readonly Connection[];
  /** The metrics endpoints of its pods (or of its operator's), which the agents scrape. */
  readonly metrics?: (cluster: Cluster, estate: Estate) => readonly MetricsEndpoint[];
  /** What it legitimately cannot meet of the admission policies, scoped and with the reason. */
  readonly exceptions?: readonly PlatformException[];
  /**
   * The custom resources its controllers act on, and what they make of them. validate fails closed on
   * a custom resource that no component running on its cluster declares (lib/validate/custom-resources.ts).
   */
  readonly operates?: readonly OperatedKind[];
}

/** A custom resource kind a controller acts on, and what it makes of one. */
export interface OperatedKind {
  /** `<group>/<Kind>`, e.g. `postgresql.cnpg.io/Cluster`. */
  readonly kind: string;
  /**
   * What the controller creates from it. `modeled`: pods and objects the proof creates as the
   * operator does (lib/hydrate/, read against its source); validate checks it created some from each.
   */
  readonly creates: "modeled" | { readonly noPods: string };
  /** Why one resource of this kind cannot be proven (a setting whose effect the proof does not model). */
  readonly cannotProve?: (resource: CustomResource) => string | undefined;
}

/** A component with the exact chart version the estate installs. */
export interface PinnedComponent extends PlatformComponent {
  /** An exact version: charts are pinned, upgrades arrive as reviewed pull requests. */
  readonly version: string;
}

/** What a platform namespace holds and the Pod Security level it enforces. */
export interface NamespaceRow {
  readonly holds: string;
  readonly podSecurity: PodSecurityLevel;
  /** Why the level is not `restricted`. */
  readonly why?: string;
}

/** The Pod Security Standards levels, least to most restrictive. */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface FreeFormValue {
  readonly path: string;
  readonly why: string;
}

/** A Kyverno PolicyException for a platform component's pods (lib/rules/exceptions.ts renders it). */
export interface PlatformException {
  readonly name: string;
  /** The namespace whose pods are exempted; nothing outside it is. */
  readonly namespace: string;
  /** ValidatingPolicies (by name) the pods are exempted from. */
  readonly policies: readonly string[];
  /** Narrows the exemption inside the namespace (plain CEL over `object`), e.g. to Job pods. */
  readonly condition?: string;
  /** Why the component cannot comply: shown to reviewers by `npm run validate`. */
  readonly reason: string;
}

/** Whether this cluster runs the component. */
export function runsOn(component: PlatformComponent, cluster: Cluster, estate: Estate): boolean {
  return component.runsOn?.(cluster, estate) ?? true;
}

/** What a `cannotProve` reads of a custom resource. */
export interface CustomResource {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: unknown;
}
