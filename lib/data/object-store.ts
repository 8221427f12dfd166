import type { Construct } from "constructs";
import { mirror } from "../images.ts";
import type { Cluster } from "../inventory/model.ts";
import { McCronJob } from "../k8s/mc-cron-job.ts";
import { resources, restrictedContainer, restrictedPod } from "../k8s/pod-defaults.ts";
import { type BucketConsumer, policyName, storePolicy } from "./bucket-access.ts";

/**
 * What the platform needs from an object store, independent of the product: buckets, and which of
 * them are mirrored to an external (cloud) endpoint. The design names MinIO; its community edition is
 * unmaintained, so the product is one component that implements this interface
 * (charts/components/minio.ts), replaceable without touching the charts that declare buckets.
 */
export interface ObjectStoreSpec {
  readonly name: string;
  readonly namespace: string;
  readonly size: string;
  readonly buckets: readonly string[];
  /** Buckets whose owner deletes what ages out (Loki's), kept without old versions. */
  readonly unversioned?: readonly string[];
  /** Buckets copied one way to an external endpoint of the cluster inventory (e.g. the cloud store). */
  readonly mirrors: readonly { readonly bucket: string; readonly endpoint: string }[];
  /** Who uses which bucket, and how: one store user and one policy each, nothing more. */
  readonly consumers: readonly BucketConsumer[];
}

/** The MinIO chart's post-install jobs, each configured by a values block of that name. */
export const MINIO_JOBS = ["makeBucketJob", "makeUserJob", "makePolicyJob"] as const;

/**
 * The MinIO chart's values for a store (the community chart in distributed mode; its component is
 * charts/components/minio.ts): one user and policy per consumer, the buckets, restricted pods.
 */
export function minioValues(cluster: Cluster, spec: ObjectStoreSpec): Record<string, unknown> {
  // The chart's bucket, user and policy jobs: `securityContext.enabled` switches their
  // `containerSecurityContext` on (templates/post-job.yaml).
  const job = {
    securityContext: { enabled: true },
    containerSecurityContext: restrictedContainer(),
    resources: resources(["50m", "200m"], ["64Mi", "256Mi"]),
  };
  return {
    image: { repository: mirror(cluster, "quay.io/minio/minio") },
    mcImage: { repository: mirror(cluster, "quay.io/minio/mc") },
    mode: "distributed",
    replicas: 4,
    persistence: { enabled: true, size: spec.size },
    existingSecret: `${spec.name}-root`,
    // One user per consumer, its secret key in the SOPS Secret `<store>-users` (key = user name), with
    // a policy of its own; the chart's default `console` admin is replaced by this list.
    users: spec.consumers.map((consumer) => ({
      accessKey: consumer.user,
      existingSecret: `${spec.name}-users`,
      existingSecretKey: consumer.user,
      policy: policyName(consumer),
    })),
    policies: spec.consumers.map(storePolicy),
    // Loki deletes its own chunks when they age out: a versioned bucket would keep them for ever.
    buckets: spec.buckets.map((name) => ({
      name,
      policy: "none",
      purge: false,
      versioning: !spec.unversioned?.includes(name),
    })),
    resources: resources(["500m", "2"], ["2Gi", "4Gi"]),
    securityContext: { enabled: true, ...restrictedPod(10001), fsGroupChangePolicy: "OnRootMismatch" },
    // MinIO writes only below its data volume; the chart's default leaves the root writable.
    containerSecurityContext: restrictedContainer(true),
    postJob: { securityContext: { enabled: true, ...restrictedPod(10001) } },
    ...Object.fromEntries(MINIO_JOBS.map((name) => [name, job])),
  };
}

/** One mirror CronJob per mirrored bucket: one way, to the external endpoint the spec names. */
export function storeMirrors(scope: Construct, cluster: Cluster, spec: ObjectStoreSpec): void {
  for (const { bucket, endpoint } of spec.mirrors) {
    const target = cluster.externalEndpoints[endpoint];
    if (!target)
      throw new Error(`object store ${spec.name}: endpoint "${endpoint}" is not defined for ${cluster.name}`);
    new McCronJob(scope, cluster, {
      name: `mirror-${bucket}`,
      namespace: spec.namespace,
      partOf: spec.name,
      schedule: "*/15 * * * *",
      // One way, this bucket only: the `local` and `cloud` aliases come from the credentials Secret.
      args: ["mirror", "--overwrite", "--remove", `local/${bucket}`, `cloud/${bucket}`],
      envFrom: [{ secretRef: { name: `mirror-${bucket}-aliases` } }],
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    });
  }
}
