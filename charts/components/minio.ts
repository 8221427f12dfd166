import { MINIO, toObjectStore } from "../../lib/connections/platform-peers.ts";
import { BUCKET_CONSUMERS, MIRROR_ENDPOINT, MIRRORED_BUCKET, STORE_BUCKETS } from "../../lib/data/buckets.ts";
import { MINIO_JOBS, minioValues, type ObjectStoreSpec } from "../../lib/data/object-store.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { pods, scrape, tcp } from "../../lib/inventory/connection.ts";
import { homeOf, OBJECT_STORE } from "../../lib/platform.ts";

/** The datacenter's object store: its buckets, who uses them, and the one bucket mirrored to the cloud. */
export const DATA_OBJECT_STORE: ObjectStoreSpec = {
  name: OBJECT_STORE.namespace,
  namespace: OBJECT_STORE.namespace,
  size: "1Ti",
  buckets: STORE_BUCKETS,
  unversioned: ["loki-chunks", "loki-ruler"],
  mirrors: [{ bucket: MIRRORED_BUCKET, endpoint: MIRROR_ENDPOINT }],
  consumers: BUCKET_CONSUMERS,
};

/** MinIO on the data home, in distributed mode (its mirror jobs in charts/data.ts). */
export const minio: PlatformComponent = {
  name: DATA_OBJECT_STORE.name,
  chart: "minio",
  namespace: DATA_OBJECT_STORE.namespace,
  ownNamespace: { holds: "the MinIO object store and its mirror job", podSecurity: "restricted" },
  layer: "apps",
  runsOn: (cluster, estate) => cluster.production && cluster === homeOf(estate, "data"),
  keepsData: true,
  values: (cluster) => minioValues(cluster, DATA_OBJECT_STORE),
  connections: () => [
    {
      name: "minio-cluster",
      from: MINIO,
      to: MINIO,
      ports: tcp(OBJECT_STORE.port),
      why: "distributed MinIO nodes talk to each other",
    },
    toObjectStore(
      "minio-jobs",
      pods(OBJECT_STORE.namespace, { app: "minio-job" }, "minio-jobs"),
      "the chart's jobs create buckets, users and policies",
    ),
  ],
  metrics: () => [scrape("minio", MINIO, 9000, "/minio/v2/metrics/cluster")],
  freeFormValues: MINIO_JOBS.map((job) => ({
    path: `${job}.containerSecurityContext`,
    why: "read by templates/post-job.yaml, not listed in values.yaml",
  })),
};
