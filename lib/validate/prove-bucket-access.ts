import { type BucketConsumer, needsOf } from "../data/bucket-access.ts";
import { CANNED_POLICIES, evaluate, type PolicyDocument } from "../data/iam.ts";
import type { HydratedObject } from "../hydrate/index.ts";

/** S3 actions a store user could hold: every one is either needed by a declared use or must be denied. */
const S3_ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:GetObjectVersion",
  "s3:DeleteObjectVersion",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
  "s3:ListBucket",
  "s3:ListBucketVersions",
  "s3:ListBucketMultipartUploads",
  "s3:GetBucketLocation",
  "s3:CreateBucket",
  "s3:DeleteBucket",
  "s3:GetBucketPolicy",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketVersioning",
  "s3:PutBucketLifecycle",
  "s3:PutBucketNotification",
  "s3:PutReplicationConfiguration",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "s3:PutObjectTagging",
  "s3:PutBucketTagging",
  "s3:PutBucketObjectLockConfiguration",
  "s3:ReplicateObject",
  "s3:ListAllMyBuckets",
];
const ADMIN_ACTIONS = [
  "admin:CreateUser",
  "admin:CreatePolicy",
  "admin:AttachUserOrGroupPolicy",
  "admin:ServerInfo",
];
/** A bucket no one declares: a wildcard grant shows here. */
const ANY_OTHER_BUCKET = "any-other-bucket";

interface RenderedStore {
  readonly origin: string;
  readonly policyOf: ReadonlyMap<string, string>;
  readonly documents: ReadonlyMap<string, PolicyDocument>;
}

/** The users, their policies and the policy documents a MinIO chart render configures (its ConfigMap's scripts). */
export function renderedStore(objects: readonly HydratedObject[]): RenderedStore | undefined {
  const found = objects.find(
    (o) => o.manifest.kind === "ConfigMap" && typeof (o.manifest.data as any)?.["add-user"] === "string",
  );
  if (!found) return undefined;
  const data = found.manifest.data as Record<string, string>;
  const policyOf = new Map<string, string>();
  let user: string | undefined;
  for (const line of data["add-user"]?.split("\n") ?? []) {
    const echo = line.match(/^echo (\S+) > \$MINIO_ACCESSKEY_SECRETKEY_TMP/);
    if (echo) user = echo[1];
    const create = line.match(/^createUser ?(\S*)/);
    if (create && user) policyOf.set(user, create[1] ?? "");
  }
  const documents = new Map<string, PolicyDocument>();
  for (const [, name, file] of (data["add-policy"] ?? "").matchAll(/^createPolicy (\S+) (\S+)$/gm))
    documents.set(name as string, JSON.parse(data[`${file}.json`] ?? "{}") as PolicyDocument);
  return { origin: found.origin, policyOf, documents };
}

/**
 * Every declared consumer is a user of the rendered store whose policy allows exactly what its uses
 * need on its buckets and denies everything else on every bucket (undeclared ones, and any other);
 * every store user is a declared consumer.
 */
export function proveBucketAccess(
  cluster: string,
  objects: readonly HydratedObject[],
  consumers: readonly BucketConsumer[],
  buckets: readonly string[],
): string[] {
  const store = renderedStore(objects);
  if (!store)
    return [
      `cluster "${cluster}": object store: cannot prove bucket access: no MinIO configuration among the rendered objects`,
    ];
  const at = `${store.origin}: cluster "${cluster}": object store`;
  const problems: string[] = [];
  for (const user of store.policyOf.keys())
    if (!consumers.some((c) => c.user === user))
      problems.push(`${at}: user "${user}" is not a declared consumer`);
  for (const consumer of consumers) {
    const policy = store.policyOf.get(consumer.user);
    if (policy === undefined) {
      problems.push(`${at}: consumer "${consumer.user}" (${consumer.why}) has no user in the store`);
      continue;
    }
    const document = store.documents.get(policy) ?? CANNED_POLICIES[policy];
    if (!document) {
      problems.push(
        `${at}: user "${consumer.user}": cannot prove policy "${policy}": neither rendered nor a known canned policy`,
      );
      continue;
    }
    problems.push(...judge(`${at}: user "${consumer.user}" (policy ${policy})`, document, consumer, buckets));
  }
  return problems;
}

function judge(
  at: string,
  document: PolicyDocument,
  consumer: BucketConsumer,
  buckets: readonly string[],
): string[] {
  const problems: string[] = [];
  const missing: string[] = [];
  const excess: string[] = [];
  for (const bucket of [...new Set([...buckets, ...Object.keys(consumer.buckets), ANY_OTHER_BUCKET])]) {
    const uses = consumer.buckets[bucket] ?? [];
    const needs = needsOf(uses);
    const targets = [
      { resource: `arn:aws:s3:::${bucket}`, needed: needs.bucket },
      { resource: `arn:aws:s3:::${bucket}/*`, needed: needs.objects },
    ];
    for (const { resource, needed } of targets)
      for (const action of S3_ACTIONS) {
        const verdict = evaluate(document, action, resource);
        if (verdict === "cannot prove")
          return [
            `${at}: cannot prove ${action} on ${resource}: the policy uses what the model does not evaluate`,
          ];
        const label = `${action} on ${bucket}${resource.endsWith("/*") ? "/*" : ""}`;
        if (needed.includes(action) && verdict !== "allow") missing.push(`${label} (to ${uses.join(", ")})`);
        if (!needed.includes(action) && verdict === "allow") excess.push(label);
      }
  }
  for (const action of ADMIN_ACTIONS)
    if (evaluate(document, action, "arn:minio:admin:::*") === "allow") excess.push(action);
  if (missing.length) problems.push(`${at}: cannot do what it declares: ${missing.join("; ")} denied`);
  if (excess.length)
    problems.push(
      `${at}: may do more than it declares: ${excess.slice(0, 8).join("; ")}${excess.length > 8 ? `; and ${excess.length - 8} more` : ""}`,
    );
  return problems;
}
