import type { BucketConsumer } from "./bucket-access.ts";

/** The training data the cloud may see: anonymised, mirrored one way to the cloud's object store. */
export const MIRRORED_BUCKET = "anonymized-training-data";
/** The external endpoint (of the data home) the mirrored bucket goes to. */
export const MIRROR_ENDPOINT = "cloud-object-store";

/** The buckets of the datacenter's object store. */
export const STORE_BUCKETS = ["models", "drone-jobs", "loki-chunks", "loki-ruler", MIRRORED_BUCKET] as const;

/**
 * The data level of each bucket, for the sovereignty proof: logs may hold anything (high), drone jobs
 * are survey data (medium), models and Loki's rules are the platform's own (low), and the training data
 * is filled by the anonymisation jobs only (low: the one declared anonymising step of the store).
 */
export const BUCKET_LEVELS: Record<(typeof STORE_BUCKETS)[number], "low" | "medium" | "high"> = {
  models: "low",
  "drone-jobs": "medium",
  "loki-chunks": "high",
  "loki-ruler": "low",
  [MIRRORED_BUCKET]: "low",
};

/**
 * Who uses the object store, and how: one store user per consumer, whose policy is rendered from this
 * and proven against it on the rendered store. A bucket no consumer names (drone-jobs) is reachable by
 * no user but the root.
 */
export const BUCKET_CONSUMERS: readonly BucketConsumer[] = [
  {
    user: "loki",
    why: "Loki keeps its chunks and rules in the store",
    buckets: { "loki-chunks": ["read", "write"], "loki-ruler": ["read", "write"] },
  },
  {
    user: "models-reader",
    why: "model servers and their hourly syncs fill their volumes from models/<workload>/",
    buckets: { models: ["mirror-from"] },
  },
  {
    user: "bucket-mirror",
    why: `the anonymised training data is mirrored one way to ${MIRROR_ENDPOINT}`,
    buckets: { [MIRRORED_BUCKET]: ["mirror-from"] },
  },
];
