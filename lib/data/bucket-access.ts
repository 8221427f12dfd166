/**
 * Who may do what with the object store's buckets, as data: each consumer (one store user) declares
 * per bucket what it does. The store's policy for that user is rendered from it, and validate proves
 * on the rendered store that the user can do exactly that (lib/validate/prove-bucket-access.ts).
 */

/** What a consumer does with a bucket. `mirror-from`/`mirror-to`: `mc mirror` with the bucket as source / target. */
export type BucketUse = "read" | "write" | "mirror-from" | "mirror-to";

export interface BucketConsumer {
  /** The store user (its secret key is in the SOPS Secret `<store>-users` under this name). */
  readonly user: string;
  readonly why: string;
  readonly buckets: Readonly<Record<string, readonly BucketUse[]>>;
}

/** S3 actions on the bucket itself (`arn:aws:s3:::<bucket>`) and on its objects (`…:<bucket>/*`). */
export interface S3Needs {
  readonly bucket: readonly string[];
  readonly objects: readonly string[];
}

const LIST = ["s3:GetBucketLocation", "s3:ListBucket"];
const MULTIPART_OBJECTS = ["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];

/**
 * The S3 actions each use needs. `mc mirror` lists both sides (ListBucket, GetBucketLocation), reads
 * the source objects, stats the target's (GetObject covers HEAD), writes and, with `--overwrite` or
 * `--remove`, deletes on the target; large objects go up in multipart uploads.
 */
export const S3_NEEDS: Record<BucketUse, S3Needs> = {
  read: { bucket: LIST, objects: ["s3:GetObject"] },
  write: {
    bucket: [...LIST, "s3:ListBucketMultipartUploads"],
    objects: ["s3:PutObject", "s3:DeleteObject", ...MULTIPART_OBJECTS],
  },
  "mirror-from": { bucket: LIST, objects: ["s3:GetObject"] },
  "mirror-to": {
    bucket: [...LIST, "s3:ListBucketMultipartUploads"],
    objects: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", ...MULTIPART_OBJECTS],
  },
};

/** Everything one consumer needs on one bucket. */
export function needsOf(uses: readonly BucketUse[]): S3Needs {
  return {
    bucket: [...new Set(uses.flatMap((u) => S3_NEEDS[u].bucket))].sort(),
    objects: [...new Set(uses.flatMap((u) => S3_NEEDS[u].objects))].sort(),
  };
}

/** The name of the store policy rendered for a consumer. */
export const policyName = (consumer: BucketConsumer) => `${consumer.user}-access`;

/** The MinIO chart's `policies` entry for a consumer: one statement per bucket and per level. */
export function storePolicy(consumer: BucketConsumer) {
  return {
    name: policyName(consumer),
    statements: Object.entries(consumer.buckets).flatMap(([bucket, uses]) => {
      const needs = needsOf(uses);
      return [
        { resources: [`arn:aws:s3:::${bucket}`], actions: [...needs.bucket] },
        { resources: [`arn:aws:s3:::${bucket}/*`], actions: [...needs.objects] },
      ];
    }),
  };
}
