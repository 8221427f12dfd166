import type { HydratedObject } from "../hydrate/index.ts";
import { CERT_MANAGER_NAMESPACE } from "../platform.ts";

/** A Secret an object needs, by namespace and name, and where the need is written. */
export interface SecretReference {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly origin: string;
  readonly subject: string;
  readonly field: string;
}

/** Kinds whose fields mention Secrets without needing one: schemas, policies, and values that charts render. */
const NOT_CONSUMERS = new Set([
  "CustomResourceDefinition",
  "Secret",
  "ValidatingPolicy",
  "ImageValidatingPolicy",
  "GeneratingPolicy",
  "ClusterRole",
  "Role",
  // A Certificate names the Secret it writes, not one it needs (lib/secrets/sources.ts).
  "Certificate",
]);

/** Field names that hold a Secret's name (a string) or a reference to one (an object with `name`). */
const SECRET_FIELD =
  /^(secretName|secretRef|secretKeyRef|certSecretRef|tlsSecret|usernameSecret|passwordSecret|superuserSecret|serverTLSSecret|serverCASecret|clientCASecret|replicationTLSSecret|sslRootCert|endpointCA|accessKeyId|secretAccessKey)$/;

/**
 * Every Secret the hydrated estate's objects reference: pod env, envFrom, volumes and pull secrets,
 * Gateway certificates, Kong consumer credentials, CloudNativePG and Keycloak credentials and TLS,
 * Flux decryption and source credentials. HelmRelease values are skipped: the chart's render is
 * judged instead, where the reference lands in a pod.
 */
export function secretReferences(objects: readonly HydratedObject[]): SecretReference[] {
  const found: SecretReference[] = [];
  for (const { cluster, origin, manifest } of objects) {
    if (NOT_CONSUMERS.has(manifest.kind)) continue;
    // A ClusterIssuer's Secrets live in cert-manager's cluster resource namespace.
    const namespace =
      manifest.kind === "ClusterIssuer"
        ? CERT_MANAGER_NAMESPACE
        : ((manifest.metadata?.namespace as string | undefined) ?? "");
    const subject = `${manifest.kind} ${namespace ? `${namespace}/` : ""}${manifest.metadata?.name}`;
    const add = (name: unknown, field: string) => {
      if (typeof name === "string" && name) found.push({ cluster, namespace, name, origin, subject, field });
    };
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        for (const [i, v] of node.entries()) visit(v, `${path}[${i}]`);
        return;
      }
      if (!node || typeof node !== "object") return;
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        const field = path ? `${path}.${key}` : key;
        if (manifest.kind === "HelmRelease" && field === "spec.values") continue;
        const name = referencedName(key, value, path, manifest.kind);
        if (name !== undefined) add(name, field);
        else if (Array.isArray(value) && LIST_FIELDS.has(key))
          for (const [i, item] of value.entries()) {
            const listed = listedName(key, item);
            if (listed !== undefined) add(listed, `${field}[${i}]`);
          }
        else visit(value, field);
      }
    };
    visit(
      manifest.kind === "Pod" || !manifest.spec
        ? manifest
        : {
            spec: manifest.spec,
            ...(manifest.kind === "KongConsumer"
              ? { credentials: (manifest as Record<string, unknown>).credentials }
              : {}),
          },
      "",
    );
  }
  return found;
}

const nameOf = (value: unknown): unknown =>
  typeof value === "string"
    ? value
    : value && typeof value === "object"
      ? (value as { name?: unknown }).name
      : undefined;

/** The Secret name a field holds, when the field is a reference to one. */
function referencedName(key: string, value: unknown, path: string, kind: string): unknown {
  if (SECRET_FIELD.test(key)) return nameOf(value) ?? "";
  if (key === "secret" && /sources\[\d+\]$/.test(path)) return nameOf(value) ?? "";
  if (key === "secret" && /placeholders\.[^.]+$/.test(path)) return nameOf(value) ?? "";
  if (key === "password" && path.includes("externalClusters") && kind === "Cluster")
    return nameOf(value) ?? "";
  return undefined;
}

const LIST_FIELDS = new Set(["imagePullSecrets", "certificateRefs", "credentials", "valuesFrom"]);

/** The Secret an entry of a list of references names, if it is a Secret. */
function listedName(key: string, item: Record<string, unknown> | string): unknown {
  if (typeof item === "string") return key === "credentials" ? item : undefined;
  if (key === "certificateRefs") return (item.kind ?? "Secret") === "Secret" ? item.name : undefined;
  if (key === "valuesFrom") return item.kind === "Secret" ? item.name : undefined;
  return item.name;
}
