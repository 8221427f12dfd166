import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { METRICS_RETENTION } from "../charts/metrics-values.ts";
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

describe("metrics reach one store, from every cluster, and are not kept for ever", () => {
  const deployment = (origin: string, name: string) =>
    objects.find(
      (o) => o.origin === origin && o.manifest.kind === "Deployment" && o.manifest.metadata?.name === name,
    )?.manifest.spec as any;

  it("Prometheus takes OTLP, keeps the retention period and size, and scrapes only itself", () => {
    const server = deployment("helm observability/prometheus", "prometheus-server");
    const args = server.template.spec.containers.find((c: any) => c.name === "prometheus-server").args;
    expect(args).toEqual(
      expect.arrayContaining([
        `--storage.tsdb.retention.time=${METRICS_RETENTION.time}`,
        `--storage.tsdb.retention.size=${METRICS_RETENTION.size}`,
        "--web.enable-otlp-receiver",
      ]),
    );
    const config = parse(
      configMap("helm observability/prometheus", "prometheus-server")["prometheus.yml"] as string,
    );
    expect(config.scrape_configs.map((s: any) => s.job_name)).toEqual(["prometheus"]);
    expect(config.otlp.promote_resource_attributes).toContain("k8s.cluster.name");
  });

  it("every cluster's agent exports its metrics pipeline there, the others through the gateway with a token", () => {
    const agents = objects.filter(
      (o) =>
        o.origin === "helm telemetry/otel-agent" &&
        o.manifest.kind === "ConfigMap" &&
        o.manifest.metadata?.name?.endsWith("-agent"),
    );
    expect(new Set(agents.map((o) => o.cluster)).size).toBeGreaterThan(1);
    for (const agent of agents) {
      const config = parse((agent.manifest.data as Record<string, string>).relay as string);
      expect(config.service.pipelines.metrics.exporters, agent.cluster).toEqual(["otlphttp/prometheus"]);
      const exporter = config.exporters["otlphttp/prometheus"];
      if (exporter.endpoint.startsWith("https://"))
        expect(exporter.auth, agent.cluster).toEqual({ authenticator: "oauth2client" });
      else
        expect(exporter.endpoint).toBe(
          "http://prometheus-server.observability.svc.cluster.local/api/v1/otlp",
        );
    }
  });
});
