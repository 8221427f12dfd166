import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { METRICS_RETENTION } from "../charts/components/metrics-values.ts";
import { LOG_RETENTION, TRACE_RETENTION } from "../charts/components/observability-values.ts";
import { metricsEndpoints } from "../lib/connections/metrics.ts";
import { gpuNodesOf } from "../lib/hydrate/gpu-operands.ts";
import { type HydratedObject, hydrate } from "../lib/hydrate/index.ts";
import type { Estate } from "../lib/inventory/model.ts";
import { metricsEndpointProblems } from "../lib/validate/metrics-endpoints.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";

/** Retention as the charts render it: what Loki and Tempo run with, not what our values say. */
let objects: readonly HydratedObject[];
let estate: Estate;
beforeAll(async () => {
  const rendered = await renderFixtureEstate();
  estate = rendered.estate;
  objects = (await hydrate(REPO, rendered.tree, gpuNodesOf(estate.clusters))).objects;
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
    // Grafana's all-clusters source reads several tenants at once, only when Loki allows it
    expect(config.querier.multi_tenant_queries_enabled).toBe(true);
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

describe("what the agents scrape is there, and only on their own node", () => {
  it("every endpoint of every cluster is a rendered pod exposing that port; a wrong port is named", () => {
    for (const cluster of estate.clusters) {
      const own = objects.filter((o) => o.cluster === cluster.name);
      const endpoints = metricsEndpoints(cluster, estate);
      expect(endpoints.map((e) => e.job)).toEqual(
        expect.arrayContaining(["kong", "kube-state-metrics", "kyverno", "cert-manager"]),
      );
      expect(metricsEndpointProblems(cluster.name, endpoints, own), cluster.name).toEqual([]);
      const moved = endpoints.map((e) => (e.job === "kong" ? { ...e, port: 8101 } : e));
      expect(metricsEndpointProblems(cluster.name, moved, own)).toEqual([
        `cluster "${cluster.name}": metrics: job kong scrapes kong/kong-gateway:8101/metrics, which no rendered pod exposes`,
      ]);
    }
  });

  it("the agent's receiver keeps each endpoint's pods on its own node, by label and port", () => {
    const agent = objects.find(
      (o) =>
        o.origin === "helm telemetry/otel-agent" &&
        o.manifest.kind === "ConfigMap" &&
        o.manifest.metadata?.name?.endsWith("-agent") &&
        o.cluster === estate.clusters.find((c) => c.hosts.includes("data"))?.name,
    );
    const config = parse((agent?.manifest.data as Record<string, string> | undefined)?.relay as string);
    const jobs = config.receivers.prometheus.config.scrape_configs as any[];
    const minio = jobs.find((j) => j.job_name === "minio");
    expect(minio.metrics_path).toBe("/minio/v2/metrics/cluster");
    expect(minio.kubernetes_sd_configs[0].selectors).toEqual([
      { role: "pod", field: "spec.nodeName=${env:K8S_NODE_NAME}" },
    ]);
    expect(minio.relabel_configs).toEqual(
      expect.arrayContaining([
        { source_labels: ["__meta_kubernetes_pod_label_app"], regex: "minio", action: "keep" },
        { source_labels: ["__meta_kubernetes_pod_container_port_number"], regex: "9000", action: "keep" },
      ]),
    );
  });
});
