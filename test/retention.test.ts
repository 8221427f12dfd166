import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LOG_RETENTION, TRACE_RETENTION } from "../charts/observability-values.ts";
import { type HydratedObject, hydrate } from "../lib/hydrate/index.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";

/** Retention as the charts render it: what Loki and Tempo run with, not what our values say. */
let objects: readonly HydratedObject[];
beforeAll(async () => {
  const { tree } = await renderFixtureEstate();
  objects = (await hydrate(REPO, tree)).objects;
});
const configMap = (origin: string, name: string) =>
  objects.find(
    (o) => o.origin === origin && o.manifest.kind === "ConfigMap" && o.manifest.metadata?.name === name,
  )?.manifest.data as Record<string, string>;

describe("logs and traces are not kept for ever", () => {
  it("Loki's compactor deletes logs older than the retention period, per tenant", () => {
    const config = parse(configMap("helm observability/loki", "loki")["config.yaml"] as string);
    expect(config.limits_config.retention_period).toBe(LOG_RETENTION);
    expect(config.compactor).toMatchObject({ retention_enabled: true, delete_request_store: "s3" });
    expect(config.auth_enabled).toBe(true);
  });

  it("Tempo keeps tenants apart and drops traces after the retention period", () => {
    const config = parse(configMap("helm observability/tempo", "tempo")["tempo.yaml"] as string);
    expect(config.multitenancy_enabled).toBe(true);
    expect(config.compactor.compaction.block_retention).toBe(TRACE_RETENTION);
  });

  it("Loki's buckets keep no old versions of what the compactor deletes", () => {
    const store = objects.find(
      (o) => o.manifest.kind === "HelmRelease" && o.manifest.metadata?.name === "object-store",
    );
    const buckets = ((store as HydratedObject).manifest.spec as any).values.buckets as {
      name: string;
      versioning: boolean;
    }[];
    expect(buckets.filter((b) => !b.versioning).map((b) => b.name)).toEqual(["loki-chunks", "loki-ruler"]);
  });
});
