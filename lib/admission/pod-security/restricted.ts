import { procMount, validSeccomp } from "./baseline.ts";
import {
  type Check,
  containersNamed,
  eachContainer,
  forbidden,
  inUserNamespace,
  isWindows,
  type Spec,
  setters,
} from "./checks.ts";

const VOLUMES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

const context = (c: Spec) => (c.securityContext ?? {}) as Spec;
const podContext = (spec: Spec) => context(spec);

/**
 * A volume is allowed when it has one of the allowed sources. One without any source is an emptyDir:
 * the API server defaults it (SetDefaults_Volume) before admission sees it.
 */
function restrictedVolumes(_pod: unknown, spec: Spec): string[] {
  const sources = (v: Spec) => Object.keys(v).filter((k) => k !== "name" && v[k] != null);
  const bad = ((spec.volumes ?? []) as Spec[]).filter(
    (v) => sources(v).length > 0 && !VOLUMES.some((type) => v[type] != null),
  );
  return bad.length ? [`restricted volume types (${bad.map((v) => `"${v.name}"`).join(", ")})`] : [];
}

function allowPrivilegeEscalation(_pod: unknown, spec: Spec): string[] {
  const bad = eachContainer(spec).filter((c) => context(c).allowPrivilegeEscalation !== false);
  return forbidden(
    "allowPrivilegeEscalation != false",
    setters(
      false,
      bad.map((c) => c.name),
    ),
  );
}

function capabilities(_pod: unknown, spec: Spec): string[] {
  const missingDrop = eachContainer(spec).filter(
    (c) => !((context(c).capabilities?.drop ?? []) as string[]).includes("ALL"),
  );
  const adding = eachContainer(spec).filter((c) =>
    ((context(c).capabilities?.add ?? []) as string[]).some((cap) => cap !== "NET_BIND_SERVICE"),
  );
  const out: string[] = [];
  if (missingDrop.length)
    out.push(`unrestricted capabilities (${containersNamed(missingDrop.map((c) => c.name))} must drop ALL)`);
  if (adding.length)
    out.push(
      `unrestricted capabilities (${containersNamed(adding.map((c) => c.name))} may add only NET_BIND_SERVICE)`,
    );
  return out;
}

/** A container without its own value inherits the pod's; unset everywhere is as bad as a bad value. */
function inherited(
  spec: Spec,
  reason: string,
  own: (context: Spec) => unknown,
  good: (value: unknown) => boolean,
): string[] {
  const podValue = own(podContext(spec));
  const podBad = podValue !== undefined && podValue !== null && !good(podValue);
  const podGood = podValue !== undefined && podValue !== null && good(podValue);
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of eachContainer(spec)) {
    const value = own(context(c));
    if (value !== undefined && value !== null) {
      if (!good(value)) explicit.push(c.name);
    } else if (!podGood) implicit.push(c.name);
  }
  const bad = setters(podBad, explicit);
  if (bad.length) return forbidden(reason, bad);
  return implicit.length ? [`${reason} (pod or ${containersNamed(implicit)} must set it)`] : [];
}

const runAsNonRoot = (_pod: unknown, spec: Spec) =>
  inherited(
    spec,
    "runAsNonRoot != true",
    (c) => c.runAsNonRoot,
    (v) => v === true,
  );

const seccompProfile = (_pod: unknown, spec: Spec) =>
  inherited(
    spec,
    "seccompProfile",
    (c) => c.seccompProfile?.type ?? (c.seccompProfile ? "" : undefined),
    validSeccomp,
  );

function runAsUser(_pod: unknown, spec: Spec): string[] {
  const root = (c: Spec) => c.runAsUser === 0;
  const containers = eachContainer(spec).filter((c) => root(context(c)));
  return forbidden(
    "runAsUser=0",
    setters(
      root(podContext(spec)),
      containers.map((c) => c.name),
    ),
  );
}

type PodCheck = (pod: any, spec: Spec) => string[];
const exceptWindows =
  (check: PodCheck): PodCheck =>
  (pod, spec) =>
    isWindows(spec) ? [] : check(pod, spec);
const exceptUserNamespace =
  (check: PodCheck): PodCheck =>
  (pod, spec) =>
    inUserNamespace(spec) ? [] : check(pod, spec);

export const RESTRICTED_CHECKS: readonly Check[] = [
  {
    id: "allowPrivilegeEscalation",
    versions: [
      { since: 8, check: allowPrivilegeEscalation },
      { since: 25, check: exceptWindows(allowPrivilegeEscalation) },
    ],
  },
  {
    id: "capabilities_restricted",
    versions: [
      { since: 22, check: capabilities, overrides: ["capabilities_baseline"] },
      { since: 25, check: exceptWindows(capabilities), overrides: ["capabilities_baseline"] },
    ],
  },
  {
    id: "procMount_restricted",
    versions: [{ since: 35, check: procMount, overrides: ["procMount"] }],
  },
  {
    id: "restrictedVolumes",
    versions: [{ since: 0, check: restrictedVolumes, overrides: ["hostPathVolumes"] }],
  },
  {
    id: "runAsNonRoot",
    versions: [
      { since: 0, check: runAsNonRoot },
      { since: 35, check: exceptUserNamespace(runAsNonRoot) },
    ],
  },
  {
    id: "runAsUser",
    versions: [
      { since: 23, check: runAsUser },
      { since: 35, check: exceptUserNamespace(runAsUser) },
    ],
  },
  {
    id: "seccompProfile_restricted",
    versions: [
      { since: 19, check: seccompProfile, overrides: ["seccompProfile_baseline"] },
      { since: 25, check: exceptWindows(seccompProfile), overrides: ["seccompProfile_baseline"] },
    ],
  },
];
