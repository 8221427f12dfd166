import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster } from "../inventory/model.ts";

/** Kinds whose strings are not names a pod resolves: schemas with examples, encrypted data, pre-render values. */
const NOT_CONFIG = new Set(["CustomResourceDefinition", "Secret", "HelmRelease"]);

/**
 * `<service>.<namespace>.svc`, optionally followed by the cluster domain, as a whole name: what a pod
 * resolves through the cluster DNS. A single label after `.svc` is not a domain (Kyverno names its
 * certificate Secrets `<service>.<namespace>.svc.kyverno-tls-pair`).
 */
const SERVICE_NAME =
  /(?<![a-z0-9-])([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc((?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)(?![a-z0-9-])/g;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * Every in-cluster Service DNS name in the rendered configuration of a cluster (ConfigMaps, pod
 * specs, custom resources, after chart rendering) names a Service of the hydrated estate in that
 * cluster, or the cluster DNS Service of the platform contract, under the contract's cluster domain.
 */
export function dnsNameProblems(cluster: Cluster, objects: readonly HydratedObject[]): string[] {
  const { clusterDns } = cluster.platform;
  const services = new Set(
    objects
      .filter((o) => o.manifest.kind === "Service")
      .map((o) => `${o.manifest.metadata?.name}.${o.manifest.metadata?.namespace}`),
  );
  services.add(`${clusterDns.service}.${clusterDns.namespace}`);
  services.add("kubernetes.default");
  const problems = new Set<string>();
  for (const { origin, manifest } of objects) {
    if (NOT_CONFIG.has(manifest.kind)) continue;
    const subject = `${manifest.kind} ${manifest.metadata?.namespace ? `${manifest.metadata.namespace}/` : ""}${manifest.metadata?.name}`;
    for (const text of strings(manifest))
      for (const [name, service, namespace, domain = ""] of text.matchAll(SERVICE_NAME)) {
        const labels = domain.split(".").filter(Boolean);
        if (labels.length === 1) continue;
        const at = `${origin}: cluster "${cluster.name}": ${subject}: ${name}`;
        if (labels.length > 1 && labels.join(".") !== clusterDns.domain)
          problems.add(
            `${at} is under "${labels.join(".")}", but the cluster domain is "${clusterDns.domain}" (platform contract)`,
          );
        else if (!services.has(`${service}.${namespace}`))
          problems.add(
            `${at} names Service ${namespace}/${service}, which the hydrated estate does not have${namespace === clusterDns.namespace ? ` (the cluster DNS is ${clusterDns.namespace}/${clusterDns.service}, platform contract)` : ""}`,
          );
      }
  }
  return [...problems];
}
