import type { Problem } from "../errors.ts";
import { imagesOf } from "../hydrate/pods.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { isClusterScoped } from "../k8s/scope.ts";
import type { RuleId } from "../rule-registry.ts";
import { imageOutsideMirror, sourceOutsideMirrors } from "../rules/offline-sources.ts";
import { POD_SECURITY_ENFORCE } from "../rules/pod-security.ts";
import type { SchemaRegistry } from "../schemas/registry.ts";
import { isSopsEncrypted } from "../secrets/encrypted.ts";
import { isPublicCaBundle } from "../secrets/public.ts";
import { credentialsInValue } from "../secrets/scan-files.ts";
import { apiServerProblems } from "./api-rules.ts";
import type { RenderedObject } from "./render.ts";

export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What the guards look at: an object and the cluster it is for. */
type Guarded = Pick<RenderedObject, "cluster" | "manifest">;

function problem(object: Guarded, rule: RuleId, message: string): Problem {
  const { kind, metadata } = object.manifest;
  return {
    file: object.cluster.source,
    cluster: object.cluster.name,
    rule,
    message: `${kind} "${metadata?.namespace ? `${metadata.namespace}/` : ""}${metadata?.name}": ${message}`,
  };
}

/** Finds any key starting with `cdk8s.io/` in labels or annotations, at any depth (pod templates too). */
function cdk8sMarkers(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => cdk8sMarkers(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = path ? `${path}.${key}` : key;
    if ((key === "labels" || key === "annotations" || key === "matchLabels") && v && typeof v === "object") {
      const marks = Object.keys(v).filter((k) => k.startsWith("cdk8s.io/"));
      return [...marks.map((k) => `${here}["${k}"]`), ...cdk8sMarkers(v, here)];
    }
    return cdk8sMarkers(v, here);
  });
}

/** The people (Users, Groups) a binding names, as `Kind name`. */
export function humanSubjects(manifest: Manifest): string[] {
  const subjects = (manifest.subjects as { kind: string; name: string }[] | undefined) ?? [];
  return subjects.filter((s) => s.kind === "User" || s.kind === "Group").map((s) => `${s.kind} ${s.name}`);
}

/** Structural rules every rendered object must satisfy before it may be written. */
export function structuralProblems(object: Guarded): Problem[] {
  return [...shapeProblems(object), ...policyProblems(object), ...originProblems(object)];
}

/** Its name, what the API server refuses, credentials in values, and where its namespace belongs. */
function shapeProblems(object: Guarded): Problem[] {
  const { apiVersion, kind, metadata } = object.manifest;
  const problems: Problem[] = [];
  if (!metadata?.name || !DNS_SUBDOMAIN.test(metadata.name)) {
    problems.push(problem(object, "dns-names", "metadata.name must be a lowercase DNS-1123 subdomain"));
  }
  for (const message of apiServerProblems(object.manifest))
    problems.push(problem(object, "api-server-rules", message));
  for (const { field, what } of credentialsInValue(object.manifest))
    problems.push(
      problem(
        object,
        "no-credentials-in-git",
        `field "${field}" holds ${what}; credentials belong in SOPS-encrypted values`,
      ),
    );
  const clusterScoped = isClusterScoped(apiVersion, kind);
  if (clusterScoped && metadata?.namespace) {
    problems.push(problem(object, "cluster-scoped", "is cluster-scoped and must not carry a namespace"));
  }
  if (!clusterScoped && !metadata?.namespace) {
    problems.push(problem(object, "explicit-namespace", "is namespaced and must name its namespace"));
  }
  return problems;
}

/** No plaintext Secret, a Pod Security level on every Namespace, no people bound in production. */
function policyProblems(object: Guarded): Problem[] {
  const { apiVersion, kind, metadata } = object.manifest;
  const problems: Problem[] = [];
  if (
    apiVersion === "v1" &&
    kind === "Secret" &&
    !isSopsEncrypted(object.manifest) &&
    !isPublicCaBundle(object.manifest)
  ) {
    problems.push(
      problem(
        object,
        "no-plaintext-secrets",
        "is a plaintext Secret; commit it SOPS-encrypted or reference an external store",
      ),
    );
  }
  if (apiVersion === "v1" && kind === "Namespace" && !metadata?.labels?.[POD_SECURITY_ENFORCE]) {
    problems.push(problem(object, "pod-security", `needs a ${POD_SECURITY_ENFORCE} label`));
  }
  if (
    object.cluster.production &&
    /^(Cluster)?RoleBinding$/.test(kind) &&
    humanSubjects(object.manifest).length > 0
  ) {
    problems.push(
      problem(
        object,
        "no-human-access-in-prod",
        `binds ${humanSubjects(object.manifest).join(", ")} on a production cluster`,
      ),
    );
  }
  return problems;
}

/** Sources and images from the mirrors only, and no construct-path metadata. */
function originProblems(object: Guarded): Problem[] {
  const problems: Problem[] = [];
  const source = sourceOutsideMirrors(object.cluster, object.manifest);
  if (source) problems.push(problem(object, "offline-sources", source));
  for (const image of imagesOf(object.manifest)) {
    const outside = imageOutsideMirror(object.cluster, image);
    if (outside) problems.push(problem(object, "offline-sources", outside));
  }
  for (const marker of cdk8sMarkers(object.manifest)) {
    problems.push(
      problem(object, "stable-names", `carries construct-path metadata ${marker}; select your own labels`),
    );
  }
  return problems;
}

export async function schemaProblems(object: RenderedObject, schemas: SchemaRegistry): Promise<Problem[]> {
  const violations = await schemas.check(object.manifest);
  return violations.map((v) => problem(object, "schema", v));
}
