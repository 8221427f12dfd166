import type { Cluster } from "../inventory/model.ts";
import {
  AUTOSCALER_NAMESPACE,
  CERT_MANAGER_NAMESPACE,
  CNPG_NAMESPACE,
  DATA_NAMESPACE,
  dataNamespaceOf,
  FLUX_NAMESPACE,
  FORWARDS_NAMESPACE,
  GPU_OPERATOR_NAMESPACE,
  KEYCLOAK_NAMESPACE,
  KONG_NAMESPACE,
  KUBE_STATE_NAMESPACE,
  KYVERNO_NAMESPACE,
  OBJECT_STORE,
  OBSERVABILITY_NAMESPACE,
  OLLAMA_NAMESPACE,
  RANCHER_NAMESPACE,
  REGISTRATION_NAMESPACE,
  TELEMETRY_NAMESPACE,
} from "../platform.ts";
import { NAMESPACES_BEFORE_FLUX } from "./preexisting.ts";

/**
 * Every namespace the platform renders, in one table: what runs there and the Pod Security level it
 * enforces, with the reason wherever that is not `restricted`. Charts read the level from here
 * (`podSecurityOf`), no workload group may be named into one of them (`isReservedNamespace`), and a
 * test checks the rendered Namespaces against the table. The namespaces a cluster has before Flux are
 * in lib/namespaces/preexisting.ts.
 */
interface PlatformNamespace {
  readonly name: string;
  readonly holds: string;
  readonly podSecurity: PodSecurityLevel;
  /** Why the level is not `restricted`. */
  readonly why?: string;
}

export const PLATFORM_NAMESPACES: readonly PlatformNamespace[] = [
  { name: FLUX_NAMESPACE, holds: "the Flux Operator and controllers", podSecurity: "restricted" },
  { name: KYVERNO_NAMESPACE, holds: "Kyverno and its PolicyExceptions", podSecurity: "restricted" },
  {
    name: KONG_NAMESPACE,
    holds: "the Kong gateway, its controller and consumers",
    podSecurity: "restricted",
  },
  { name: CERT_MANAGER_NAMESPACE, holds: "cert-manager", podSecurity: "restricted" },
  {
    name: CNPG_NAMESPACE,
    holds: "the CloudNativePG operator and its Barman Cloud plugin",
    podSecurity: "restricted",
  },
  {
    name: GPU_OPERATOR_NAMESPACE,
    holds: "the NVIDIA GPU operator and its operands",
    podSecurity: "privileged",
    why: "it installs drivers and the container toolkit on the host",
  },
  {
    name: DATA_NAMESPACE,
    holds: "PostGIS, the anonymised publisher, the portal database",
    podSecurity: "restricted",
  },
  {
    name: OBJECT_STORE.namespace,
    holds: "the MinIO object store and its mirror job",
    podSecurity: "restricted",
  },
  { name: KEYCLOAK_NAMESPACE, holds: "Keycloak, its database and realm", podSecurity: "restricted" },
  { name: OBSERVABILITY_NAMESPACE, holds: "Loki and Tempo", podSecurity: "restricted" },
  {
    name: TELEMETRY_NAMESPACE,
    holds: "the OpenTelemetry agents",
    podSecurity: "privileged",
    why: "reading container logs from the node (/var/log/pods) needs hostPath mounts",
  },
  {
    name: OLLAMA_NAMESPACE,
    holds: "Ollama",
    podSecurity: "baseline",
    why: "the upstream image runs as root and writes its state under /root/.ollama",
  },
  { name: AUTOSCALER_NAMESPACE, holds: "the cluster-autoscaler", podSecurity: "restricted" },
  {
    name: FORWARDS_NAMESPACE,
    holds: "the public gateway's forwards to on-prem gateways",
    podSecurity: "restricted",
  },
  {
    name: KUBE_STATE_NAMESPACE,
    holds: "kube-state-metrics: the API's objects as metrics, Flux's readiness among them",
    podSecurity: "restricted",
  },
  {
    name: RANCHER_NAMESPACE,
    holds: "Rancher's server (management home) or its cluster agent (managed clusters)",
    podSecurity: "baseline",
    why: "Rancher's chart (templates/deployment.yaml) and its agent template (pkg/systemtemplate) set no securityContext and offer no value for one; the agent's start script writes CA files under /etc as root, and Rancher re-applies the agent on connecting and upgrading",
  },
  {
    name: REGISTRATION_NAMESPACE,
    holds: "the provisioning.cattle.io Clusters that register the managed clusters (no pods)",
    podSecurity: "restricted",
  },
];

/** The Pod Security level a platform namespace enforces; a namespace not in the table is a mistake. */
export function podSecurityOf(namespace: string): PodSecurityLevel {
  const entry = PLATFORM_NAMESPACES.find((n) => n.name === namespace);
  if (!entry)
    throw new Error(`namespace "${namespace}" is not in PLATFORM_NAMESPACES (lib/namespaces/registry.ts)`);
  return entry.podSecurity;
}

/** Namespaces no workload group may be named into: those before Flux and the platform's own. */
export const RESERVED_NAMESPACES: readonly string[] = [
  ...new Set([...NAMESPACES_BEFORE_FLUX, ...PLATFORM_NAMESPACES.map((n) => n.name)]),
];

/** Whether a workload namespace would collide with one the platform renders on this cluster. */
export function isReservedNamespace(cluster: Cluster, namespace: string): boolean {
  if (RESERVED_NAMESPACES.includes(namespace)) return true;
  return !cluster.production && cluster.stages.some((stage) => dataNamespaceOf(cluster, stage) === namespace);
}

/** The Pod Security Standards levels, least to most restrictive. */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";
