import { type Check, eachContainer, forbidden, inUserNamespace, type Spec, setters } from "./checks.ts";

const CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);
const SYSCTLS_1_0 = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports"];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];
const SELINUX_TYPES_1_0 = ["", "container_t", "container_init_t", "container_kvm_t"];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, "container_engine_t"];

/** Containers whose security context makes `offends` true. */
function offending(spec: Spec, offends: (context: Spec, container: Spec) => boolean): string[] {
  return eachContainer(spec)
    .filter((c) => offends((c.securityContext ?? {}) as Spec, c))
    .map((c) => String(c.name));
}
const podContext = (spec: Spec) => (spec.securityContext ?? {}) as Spec;

function hostNamespaces(_pod: unknown, spec: Spec): string[] {
  const set = ["hostNetwork", "hostPID", "hostIPC"].filter((field) => spec[field] === true);
  return set.length ? [`host namespaces (${set.map((f) => `${f}=true`).join(", ")})`] : [];
}

function windowsHostProcess(_pod: unknown, spec: Spec): string[] {
  const pod = podContext(spec).windowsOptions?.hostProcess === true;
  return forbidden(
    "hostProcess",
    setters(
      pod,
      offending(spec, (c) => c.windowsOptions?.hostProcess === true),
    ),
  );
}

function hostPathVolumes(_pod: unknown, spec: Spec): string[] {
  const volumes = ((spec.volumes ?? []) as Spec[]).filter((v) => v.hostPath).map((v) => `"${v.name}"`);
  return volumes.length ? [`hostPath volumes (${volumes.join(", ")})`] : [];
}

function hostPorts(_pod: unknown, spec: Spec): string[] {
  const bad = offending(spec, (_c, container) => ((container.ports ?? []) as Spec[]).some((p) => p.hostPort));
  return forbidden("hostPort", setters(false, bad));
}

const privileged = (_pod: unknown, spec: Spec) =>
  forbidden(
    "privileged",
    setters(
      false,
      offending(spec, (c) => c.privileged === true),
    ),
  );

function capabilities(_pod: unknown, spec: Spec): string[] {
  const adds = (c: Spec) => ((c.capabilities?.add ?? []) as string[]).some((cap) => !CAPABILITIES.has(cap));
  return forbidden("non-default capabilities", setters(false, offending(spec, adds)));
}

function seLinuxOptions(allowed: readonly string[]) {
  const ok = (o: Spec | undefined) => !o || (allowed.includes(o.type ?? "") && !o.user && !o.role);
  return (_pod: unknown, spec: Spec) =>
    forbidden(
      "seLinuxOptions",
      setters(
        !ok(podContext(spec).seLinuxOptions),
        offending(spec, (c) => !ok(c.seLinuxOptions)),
      ),
    );
}

const procMountDefault = (c: Spec) => c.procMount !== undefined && c.procMount !== "Default";
export const procMount = (_pod: unknown, spec: Spec) =>
  forbidden("procMount", setters(false, offending(spec, procMountDefault)));

function sysctls(allowed: readonly string[]) {
  return (_pod: unknown, spec: Spec) => {
    const bad = ((podContext(spec).sysctls ?? []) as Spec[]).filter((s) => !allowed.includes(s.name));
    return bad.length ? [`forbidden sysctls (${bad.map((s) => s.name).join(", ")})`] : [];
  };
}

const validSeccompAnnotation = (v: string) =>
  v === "runtime/default" || v === "docker/default" || v.startsWith("localhost/");
export const validSeccomp = (type: unknown) => type === "RuntimeDefault" || type === "Localhost";

/** Before 1.19 seccomp was set by annotations; from 1.19 by the field (annotations no longer read). */
function seccompAnnotations(pod: { metadata?: Spec }, spec: Spec): string[] {
  const annotations = (pod.metadata?.annotations ?? {}) as Record<string, string>;
  const keys = [
    "seccomp.security.alpha.kubernetes.io/pod",
    ...eachContainer(spec).map((c) => `container.seccomp.security.alpha.kubernetes.io/${c.name}`),
  ];
  const bad = keys.filter((k) => {
    const value = Object.hasOwn(annotations, k) ? annotations[k] : undefined;
    return value !== undefined && !validSeccompAnnotation(value);
  });
  return bad.length ? [`seccompProfile (forbidden annotations ${bad.join(", ")})`] : [];
}

function seccompProfile(_pod: unknown, spec: Spec): string[] {
  const bad = (p: Spec | undefined) => p !== undefined && p !== null && !validSeccomp(p.type);
  return forbidden(
    "seccompProfile",
    setters(
      bad(podContext(spec).seccompProfile),
      offending(spec, (c) => bad(c.seccompProfile)),
    ),
  );
}

const appArmorType = (p: Spec | undefined) => !p || p.type === "RuntimeDefault" || p.type === "Localhost";
const appArmorAnnotation = (v: string) => v === "" || v === "runtime/default" || v.startsWith("localhost/");

function appArmorProfile(pod: { metadata?: Spec }, spec: Spec): string[] {
  const annotations = Object.entries((pod.metadata?.annotations ?? {}) as Record<string, string>).filter(
    ([k, v]) => k.startsWith("container.apparmor.security.beta.kubernetes.io/") && !appArmorAnnotation(v),
  );
  const bad = setters(
    !appArmorType(podContext(spec).appArmorProfile),
    offending(spec, (c) => !appArmorType(c.appArmorProfile)),
  );
  if (annotations.length) bad.push(`annotations ${annotations.map(([k, v]) => `${k}=${v}`).join(", ")}`);
  return forbidden("forbidden AppArmor profile", bad);
}

/** A `host` in a probe's or lifecycle handler's httpGet or tcpSocket (check_hostProbesAndhostLifecycle.go). */
function hostProbesAndLifecycle(_pod: unknown, spec: Spec): string[] {
  const hosts = (container: Spec) =>
    [
      container.livenessProbe,
      container.readinessProbe,
      container.startupProbe,
      container.lifecycle?.postStart,
      container.lifecycle?.preStop,
    ].some((h: Spec | undefined) => Boolean(h?.httpGet?.host || h?.tcpSocket?.host));
  return forbidden(
    "probe or lifecycle host",
    setters(
      false,
      offending(spec, (_c, container) => hosts(container)),
    ),
  );
}

const once = (id: string, check: Check["versions"][number]["check"]): Check => ({
  id,
  versions: [{ since: 0, check }],
});

export const BASELINE_CHECKS: readonly Check[] = [
  once("appArmorProfile", appArmorProfile),
  once("capabilities_baseline", capabilities),
  once("hostNamespaces", hostNamespaces),
  once("hostPathVolumes", hostPathVolumes),
  once("hostPorts", hostPorts),
  {
    id: "hostProbesAndHostLifecycle",
    versions: [{ since: 34, check: hostProbesAndLifecycle }],
  },
  once("privileged", privileged),
  {
    id: "procMount",
    versions: [
      { since: 0, check: procMount },
      { since: 35, check: (pod, spec) => (inUserNamespace(spec) ? [] : procMount(pod, spec)) },
    ],
  },
  {
    id: "seccompProfile_baseline",
    versions: [
      { since: 0, check: seccompAnnotations },
      { since: 19, check: seccompProfile },
    ],
  },
  {
    id: "seLinuxOptions",
    versions: [
      { since: 0, check: seLinuxOptions(SELINUX_TYPES_1_0) },
      { since: 31, check: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: "sysctls",
    versions: [
      { since: 0, check: sysctls(SYSCTLS_1_0) },
      { since: 27, check: sysctls(SYSCTLS_1_27) },
      { since: 29, check: sysctls(SYSCTLS_1_29) },
      { since: 32, check: sysctls(SYSCTLS_1_32) },
      { since: 37, check: sysctls(SYSCTLS_1_37) },
    ],
  },
  once("windowsHostProcess", windowsHostProcess),
];
