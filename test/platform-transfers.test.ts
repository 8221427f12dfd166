import { describe, expect, it } from "vitest";
import type { HydratedObject } from "../lib/hydrate/index.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { platformTransferProblems } from "../lib/sovereignty/platform-transfers.ts";

/** Fixture objects, not the estate's: what the platform ships out of the datacenter. */
const clusters = [
  { name: "core", location: "on-prem" },
  { name: "cloud", location: "cloud" },
] as unknown as Cluster[];
const at = (cluster: string, manifest: Manifest): HydratedObject => ({
  cluster,
  origin: `dist/${cluster}.yaml`,
  manifest,
});
const publication = (objects: unknown[], extra: Record<string, unknown> = {}): Manifest => ({
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Publication",
  metadata: { name: "pub", namespace: "data" },
  spec: {
    cluster: { name: "postgis" },
    dbname: "meetdata",
    name: "anonymised_tables",
    target: { objects, ...extra },
  },
});
const subscription: Manifest = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Subscription",
  metadata: { name: "sub", namespace: "data" },
  spec: {
    cluster: { name: "portal-db" },
    dbname: "portal",
    name: "sub",
    publicationName: "anonymised_tables",
  },
};
const mirror = (bucket: string): Manifest => ({
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: { name: `mirror-${bucket}`, namespace: "object-store" },
  spec: {
    jobTemplate: {
      spec: {
        template: {
          spec: {
            containers: [
              { name: "mc", args: ["mirror", "--overwrite", `local/${bucket}`, `cloud/${bucket}`] },
            ],
          },
        },
      },
    },
  },
});
const anonymised = { table: { schema: "anonymised", name: "waterstanden" } };

describe("what the platform ships out of the datacenter", () => {
  it("a publication the cloud subscribes to publishes only the anonymised schema", () => {
    expect(
      platformTransferProblems(clusters, [at("core", publication([anonymised])), at("cloud", subscription)]),
    ).toEqual([]);
    const leaky = [
      at("core", publication([anonymised, { table: { schema: "public", name: "metingen" } }])),
      at("cloud", subscription),
    ];
    expect(platformTransferProblems(clusters, leaky)).toEqual([
      'dist/core.yaml: cluster "core": Publication data/pub: publishes table public.metingen, outside the anonymised schema: the cloud subscribes to it, so meetdata data would reach the cloud',
    ]);
    const everything = [at("core", publication([], { allTables: true })), at("cloud", subscription)];
    expect(platformTransferProblems(clusters, everything)).toHaveLength(1);
    // nobody in the cloud subscribes: the publication stays in the datacenter
    expect(platformTransferProblems(clusters, [leaky[0] as HydratedObject])).toEqual([]);
  });

  it("a bucket mirror copies only a bucket declared low out of the datacenter", () => {
    expect(platformTransferProblems(clusters, [at("core", mirror("anonymized-training-data"))])).toEqual([]);
    expect(platformTransferProblems(clusters, [at("core", mirror("loki-chunks"))])).toEqual([
      'dist/core.yaml: cluster "core": CronJob object-store/mirror-loki-chunks: mirrors bucket loki-chunks (high) out of the datacenter; only a bucket declared low (anonymised) may leave',
    ]);
  });
});
