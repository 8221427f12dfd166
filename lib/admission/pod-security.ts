import { KUBE_VERSION } from "../helm/render.ts";
import { containersOf } from "../hydrate/pods.ts";
import type { Manifest } from "../k8s/model-object.ts";
import type { PodSecurityLevel } from "../rules/pod-security.ts";

type Spec = Record<string, any>;

/**
 * The Pod Security Standards as the API server's Pod Security Admission enforces them, modelled on
 * kubernetes/pod-security-admission (policy/check_*.go) per policy version and checked against its
 * own fixtures (test/pod-security-conformance.test.ts). `version` is the policy version, `1.35`:
 * "latest" on our clusters is their Kubernetes version.
 */
export function podSecurityViolations(
  pod: Manifest,
  level: PodSecurityLevel,
  version: string = minorOf(KUBE_VERSION),
): string[] {
  if (level === "privileged") return [];
  const v = minorNumber(version);
  const violations = baselineViolations(pod, v, level === "restricted");
  if (level === "restricted") violations.push(...restrictedViolations(pod, v));
  return violations;
}

const minorOf = (kubernetes: string) => kubernetes.split(".").slice(0, 2).join(".");
const minorNumber = (version: string) => Number(version.split(".")[1] ?? 0);

const BASELINE_CAPABILITIES = new Set([
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
/** The safe sysctls, by the policy version that allowed them (check_sysctls.go). */
const SAFE_SYSCTLS: readonly [number, readonly string[]][] = [
  [
    0,
    [
      "kernel.shm_rmid_forced",
      "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_syncookies",
      "net.ipv4.ping_group_range",
      "net.ipv4.ip_unprivileged_port_start",
    ],
  ],
  [27, ["net.ipv4.ip_local_reserved_ports"]],
  [
    29,
    [
      "net.ipv4.tcp_keepalive_time",
      "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl",
      "net.ipv4.tcp_keepalive_probes",
    ],
  ],
  [32, ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]],
  [37, ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"]],
];
const SELINUX_TYPES = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);
const RESTRICTED_VOLUMES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** A pod in its own user namespace (`hostUsers: false`): from 1.35 some controls relax (helpers.go). */
const inUserNamespace = (spec: Spec, v: number) => v >= 35 && spec.hostUsers === false;
/** A Windows pod (`spec.os.name: windows`): from 1.25 the Linux-only restricted controls do not apply. */
const isWindows = (spec: Spec, v: number) => v >= 25 && spec.os?.name === "windows";

function baselineViolations(pod: Manifest, v: number, restricted: boolean): string[] {
  const spec = (pod.spec ?? {}) as Spec;
  const podContext = (spec.securityContext ?? {}) as Spec;
  const out: string[] = [];
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (spec[field] === true) out.push(`host namespaces (${field}=true)`);
  }
  if (podContext.windowsOptions?.hostProcess === true) out.push("hostProcess (pod)");
  for (const volume of (spec.volumes ?? []) as Spec[])
    if (volume.hostPath) out.push(`hostPath volumes (volume "${volume.name}")`);
  if (!seLinuxAllowed(podContext.seLinuxOptions)) out.push("seLinuxOptions (pod)");
  if (podContext.seccompProfile?.type === "Unconfined") out.push("seccompProfile (pod Unconfined)");
  if (podContext.appArmorProfile && !appArmorAllowed(podContext.appArmorProfile.type))
    out.push("appArmorProfile (pod)");
  const safe = new Set(SAFE_SYSCTLS.filter(([since]) => v >= since).flatMap(([, names]) => names));
  for (const s of (podContext.sysctls ?? []) as Spec[])
    if (!safe.has(s.name)) out.push(`sysctls (${s.name})`);
  for (const [key, value] of Object.entries(pod.metadata?.annotations ?? {}))
    if (
      key.startsWith("container.apparmor.security.beta.kubernetes.io/") &&
      !appArmorAnnotationAllowed(value)
    )
      out.push(`appArmor annotation ${key}=${value}`);
  // From 1.35 the restricted level owns procMount without the user-namespace relaxation.
  const procMountRelaxed = inUserNamespace(spec, v) && !restricted;
  for (const { container } of containersOf(pod)) {
    const c = (container.securityContext ?? {}) as Spec;
    const where = `container "${container.name}"`;
    if (c.privileged === true) out.push(`privileged (${where})`);
    if (c.windowsOptions?.hostProcess === true) out.push(`hostProcess (${where})`);
    const added = ((c.capabilities?.add ?? []) as string[]).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (added.length) out.push(`capabilities (${where} adds ${added.join(", ")})`);
    for (const p of (container.ports ?? []) as Spec[])
      if (p.hostPort) out.push(`hostPort (${where} port ${p.hostPort})`);
    if (!seLinuxAllowed(c.seLinuxOptions)) out.push(`seLinuxOptions (${where})`);
    if (c.procMount && c.procMount !== "Default" && !procMountRelaxed) out.push(`procMount (${where})`);
    if (c.seccompProfile?.type === "Unconfined") out.push(`seccompProfile (${where} Unconfined)`);
    if (c.appArmorProfile && !appArmorAllowed(c.appArmorProfile.type)) out.push(`appArmorProfile (${where})`);
    if (v >= 34)
      out.push(...probeHosts(container).map((host) => `probe or lifecycle host (${where} uses ${host})`));
  }
  return out;
}

function seLinuxAllowed(options: Spec | undefined): boolean {
  return !options || (SELINUX_TYPES.has(options.type ?? "") && !options.user && !options.role);
}

const appArmorAllowed = (type: string | undefined) => type === "RuntimeDefault" || type === "Localhost";
/** check_appArmorProfile.go: empty, `runtime/default`, or anything starting with `localhost/`. */
const appArmorAnnotationAllowed = (value: string) =>
  value === "" || value === "runtime/default" || value.startsWith("localhost/");

/** check_hostProbesAndhostLifecycle.go (1.34): a `host` in a probe's or handler's httpGet or tcpSocket. */
function probeHosts(container: Spec): string[] {
  const handlers = [
    container.livenessProbe,
    container.readinessProbe,
    container.startupProbe,
    container.lifecycle?.postStart,
    container.lifecycle?.preStop,
  ];
  return handlers.flatMap((h: Spec | undefined) =>
    [h?.httpGet?.host, h?.tcpSocket?.host].filter(
      (host): host is string => typeof host === "string" && host !== "",
    ),
  );
}

function restrictedViolations(pod: Manifest, v: number): string[] {
  const spec = (pod.spec ?? {}) as Spec;
  const podContext = (spec.securityContext ?? {}) as Spec;
  const userNamespace = inUserNamespace(spec, v);
  const windows = isWindows(spec, v);
  const out: string[] = [];
  for (const volume of (spec.volumes ?? []) as Spec[]) {
    const type = Object.keys(volume).find((k) => k !== "name");
    if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume types (volume "${volume.name}" is ${type})`);
  }
  if (!userNamespace) {
    if (podContext.runAsNonRoot === false) out.push("runAsNonRoot != true (pod)");
    if (podContext.runAsUser === 0) out.push("runAsUser=0 (pod)");
  }
  const podSeccomp = podContext.seccompProfile?.type;
  if (!windows && podSeccomp !== undefined && !validSeccomp(podSeccomp)) out.push("seccompProfile (pod)");
  for (const { container } of containersOf(pod)) {
    const c = (container.securityContext ?? {}) as Spec;
    const where = `container "${container.name}"`;
    if (!windows && c.allowPrivilegeEscalation !== false)
      out.push(`allowPrivilegeEscalation != false (${where})`);
    if (!userNamespace) {
      const nonRoot = c.runAsNonRoot ?? (podContext.runAsNonRoot === true ? true : undefined);
      if (nonRoot !== true) out.push(`runAsNonRoot != true (${where})`);
      if (c.runAsUser === 0) out.push(`runAsUser=0 (${where})`);
    }
    if (!windows) {
      const seccomp = c.seccompProfile?.type ?? (validSeccomp(podSeccomp) ? podSeccomp : undefined);
      if (!validSeccomp(seccomp)) out.push(`seccompProfile (${where} must be RuntimeDefault or Localhost)`);
      const drop = (c.capabilities?.drop ?? []) as string[];
      if (!drop.includes("ALL")) out.push(`capabilities (${where} must drop ALL)`);
      const added = ((c.capabilities?.add ?? []) as string[]).filter((cap) => cap !== "NET_BIND_SERVICE");
      if (added.length)
        out.push(`capabilities (${where} may add only NET_BIND_SERVICE, adds ${added.join(", ")})`);
    }
  }
  return out;
}

const validSeccomp = (type: string | undefined) => type === "RuntimeDefault" || type === "Localhost";
