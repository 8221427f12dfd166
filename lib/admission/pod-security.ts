import { containersOf } from "../hydrate/pods.ts";
import type { Manifest } from "../k8s/model-object.ts";
import type { PodSecurityLevel } from "../rules/pod-security.ts";

type Spec = Record<string, any>;

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
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
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
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/**
 * The Pod Security Standards as the Kubernetes documentation defines them ("latest"): what the API
 * server's Pod Security Admission enforces from a namespace's `pod-security.kubernetes.io/enforce`
 * label, whatever Kyverno says. Returns one line per violated control.
 */
export function podSecurityViolations(pod: Manifest, level: PodSecurityLevel): string[] {
  if (level === "privileged") return [];
  const violations = baselineViolations(pod);
  if (level === "restricted") violations.push(...restrictedViolations(pod));
  return violations;
}

function baselineViolations(pod: Manifest): string[] {
  const spec = (pod.spec ?? {}) as Spec;
  const podContext = (spec.securityContext ?? {}) as Spec;
  const out: string[] = [];
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (spec[field] === true) out.push(`host namespaces (${field}=true)`);
  }
  if (podContext.windowsOptions?.hostProcess === true) out.push("hostProcess (pod)");
  for (const v of (spec.volumes ?? []) as Spec[])
    if (v.hostPath) out.push(`hostPath volumes (volume "${v.name}")`);
  if (
    !SELINUX_TYPES.has(podContext.seLinuxOptions?.type ?? "") ||
    podContext.seLinuxOptions?.user ||
    podContext.seLinuxOptions?.role
  )
    out.push("seLinuxOptions (pod)");
  if (podContext.seccompProfile?.type === "Unconfined") out.push("seccompProfile (pod Unconfined)");
  if (!appArmorAllowed(podContext.appArmorProfile?.type)) out.push("appArmorProfile (pod)");
  for (const s of (podContext.sysctls ?? []) as Spec[])
    if (!SAFE_SYSCTLS.has(s.name)) out.push(`sysctls (${s.name})`);
  for (const [key, value] of Object.entries(pod.metadata?.annotations ?? {})) {
    if (
      key.startsWith("container.apparmor.security.beta.kubernetes.io/") &&
      !/^(runtime\/default|localhost\/.+)$/.test(value)
    )
      out.push(`appArmor annotation ${key}=${value}`);
  }
  for (const { container } of containersOf(pod)) {
    const c = (container.securityContext ?? {}) as Spec;
    const where = `container "${container.name}"`;
    if (c.privileged === true) out.push(`privileged (${where})`);
    if (c.windowsOptions?.hostProcess === true) out.push(`hostProcess (${where})`);
    const added = ((c.capabilities?.add ?? []) as string[]).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (added.length) out.push(`capabilities (${where} adds ${added.join(", ")})`);
    for (const p of (container.ports ?? []) as Spec[])
      if (p.hostPort) out.push(`hostPort (${where} port ${p.hostPort})`);
    if (!SELINUX_TYPES.has(c.seLinuxOptions?.type ?? "") || c.seLinuxOptions?.user || c.seLinuxOptions?.role)
      out.push(`seLinuxOptions (${where})`);
    if (c.procMount && c.procMount !== "Default") out.push(`procMount (${where})`);
    if (c.seccompProfile?.type === "Unconfined") out.push(`seccompProfile (${where} Unconfined)`);
    if (!appArmorAllowed(c.appArmorProfile?.type)) out.push(`appArmorProfile (${where})`);
  }
  return out;
}

const appArmorAllowed = (type: string | undefined) =>
  !type || type === "RuntimeDefault" || type === "Localhost";

function restrictedViolations(pod: Manifest): string[] {
  const spec = (pod.spec ?? {}) as Spec;
  const podContext = (spec.securityContext ?? {}) as Spec;
  const out: string[] = [];
  for (const v of (spec.volumes ?? []) as Spec[]) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume types (volume "${v.name}" is ${type})`);
  }
  if (podContext.runAsUser === 0) out.push("runAsUser=0 (pod)");
  const podSeccomp = podContext.seccompProfile?.type;
  for (const { container } of containersOf(pod)) {
    const c = (container.securityContext ?? {}) as Spec;
    const where = `container "${container.name}"`;
    if (c.allowPrivilegeEscalation !== false) out.push(`allowPrivilegeEscalation != false (${where})`);
    const nonRoot = c.runAsNonRoot ?? podContext.runAsNonRoot;
    if (nonRoot !== true) out.push(`runAsNonRoot != true (${where})`);
    if (c.runAsUser === 0) out.push(`runAsUser=0 (${where})`);
    const seccomp = c.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
      out.push(`seccompProfile (${where} must be RuntimeDefault or Localhost)`);
    const drop = (c.capabilities?.drop ?? []) as string[];
    if (!drop.includes("ALL")) out.push(`capabilities (${where} must drop ALL)`);
    const added = ((c.capabilities?.add ?? []) as string[]).filter((cap) => cap !== "NET_BIND_SERVICE");
    if (added.length)
      out.push(`capabilities (${where} may add only NET_BIND_SERVICE, adds ${added.join(", ")})`);
  }
  return out;
}
