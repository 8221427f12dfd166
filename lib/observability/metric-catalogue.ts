import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { PinnedComponent } from "../inventory/component.ts";
import { customResourceMetricNames } from "./kube-state.ts";

/** Where the exporters' own definitions of their metrics are vendored (vendor/SOURCES.md). */
export const METRIC_SOURCES = "vendor/metrics";

/**
 * The metrics the scraped exporters expose, read from their source at our versions, not listed by
 * hand: CloudNativePG's default monitoring queries (each COUNTER or GAUGE column is
 * `cnpg_<query>_<column>`, pkg/management/postgres/metrics/mappings.go) and its instance collector
 * (`cnpg_collector_<name>`), cert-manager's certificate collector (`prometheus.NewDesc`), Kyverno's
 * admission instruments (OpenTelemetry counters, exported with `_total`; histograms as
 * `_bucket`, `_sum`, `_count`), kube-state-metrics' node and CronJob families and the Flux metric
 * our custom resource configuration makes, the Flux controllers' reconcile metrics (fluxcd/pkg
 * runtime/metrics), and `up`, which every scrape writes. Names pass through the agents
 * unchanged: Prometheus's OTLP translation gives counters their `_total` back.
 */
export function metricCatalogue(
  root: string,
  components: readonly PinnedComponent[],
): Map<string, ExposedMetric> {
  const read = (path: string) => readFileSync(join(root, METRIC_SOURCES, path), "utf8");
  const catalogue = new Map<string, ExposedMetric>([["up", { source: "every scrape", job: "" }]]);
  const add = (names: readonly string[], source: string, job: string) => {
    for (const name of names) catalogue.set(name, { source, job });
  };
  const cnpg = "cloudnative-pg";
  add(cnpgQueryMetrics(read(`${cnpg}/default-monitoring.yaml`)), `${cnpg} default-monitoring.yaml`, "cnpg-");
  add(cnpgCollectorMetrics(read(`${cnpg}/pg_collector.go`)), `${cnpg} pg_collector.go`, "cnpg-");
  add(
    describedMetrics(read("cert-manager/certificate_collector.go")),
    "cert-manager certificate_collector.go",
    "cert-manager",
  );
  for (const file of ["admission.go", "vpol.go"])
    add(instrumentMetrics(read(`kyverno/${file}`)), `kyverno pkg/metrics/${file}`, "kyverno");
  const ksm = "kube-state-metrics";
  for (const store of ["node.go", "cronjob.go"])
    add(familyMetrics(read(`${ksm}/${store}`)), `${ksm} internal/store/${store}`, ksm);
  add(customResourceMetricNames(), "our kube-state-metrics custom resource configuration", ksm);
  add(kongMetrics(read("kong/exporter.lua")), "kong kong/plugins/prometheus/exporter.lua", "kong");
  add(clientGoMetrics(read("flux/recorder.go")), "fluxcd/pkg runtime/metrics/recorder.go", "flux");
  add(dcgmMetrics(root, components), `gpu-operator ${DCGM_RULES}`, "dcgm-exporter");
  return catalogue;
}

/** Where a metric is defined, and the scrape job (name, or prefix) that collects it ("" for any). */
export interface ExposedMetric {
  readonly source: string;
  readonly job: string;
}

type Query = { metrics?: Record<string, { usage?: string; name?: string }>[] };

function cnpgQueryMetrics(text: string): string[] {
  const queries = parse(parse(text).data.queries) as Record<string, Query>;
  return Object.entries(queries).flatMap(([query, spec]) =>
    (spec.metrics ?? []).flatMap((column) =>
      Object.entries(column)
        .filter(([, mapping]) => mapping.usage === "COUNTER" || mapping.usage === "GAUGE")
        .map(([name, mapping]) => `cnpg_${query}_${mapping.name ?? name}`),
    ),
  );
}

function cnpgCollectorMetrics(text: string): string[] {
  return [...text.matchAll(/Subsystem:\s*subsystem,\s*Name:\s*"([a-z0-9_]+)"/g)].map(
    (m) => `cnpg_collector_${m[1]}`,
  );
}

/** Metrics made with Prometheus's Go client (`prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: …`). */
function clientGoMetrics(text: string): string[] {
  return [
    ...text.matchAll(
      /prometheus\.New(Gauge|Counter|Histogram)(?:Vec)?\(\s*prometheus\.\w+Opts\{\s*Name:\s*"([a-z0-9_]+)"/g,
    ),
  ].flatMap(([, kind, name]) =>
    kind === "Histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name as string],
  );
}

function describedMetrics(text: string): string[] {
  return [...text.matchAll(/prometheus\.NewDesc\(\s*"([a-z0-9_]+)"/g)].map((m) => m[1] as string);
}

function instrumentMetrics(text: string): string[] {
  return [
    ...text.matchAll(
      /meter\.(Int64Counter|Float64Counter|Float64Histogram|Int64Histogram)\(\s*"([a-z0-9_]+)"/g,
    ),
  ].flatMap(([, kind, name]) =>
    kind?.endsWith("Counter") ? [`${name}_total`] : [`${name}_bucket`, `${name}_sum`, `${name}_count`],
  );
}

function familyMetrics(text: string): string[] {
  return [...text.matchAll(/NewFamilyGeneratorWithStability\(\s*"([a-z0-9_]+)"/g)].map((m) => m[1] as string);
}

/** Kong's prometheus plugin: `kong_` + each name (prometheus.lua init), histograms as buckets. */
function kongMetrics(text: string): string[] {
  return [...text.matchAll(/prometheus:(counter|gauge|histogram)\(\s*"([a-z0-9_]+)"/g)].flatMap(
    ([, kind, name]) =>
      kind === "histogram"
        ? [`kong_${name}_bucket`, `kong_${name}_sum`, `kong_${name}_count`]
        : [`kong_${name}`],
  );
}

/**
 * The DCGM exporter's metrics as the GPU operator at our release queries them itself: the rules it
 * ships beside the exporter it deploys (vendored whole with the operator's assets).
 */
const DCGM_RULES = "assets/state-dcgm-exporter/1000_prometheus_rule_openshift.yaml";

function dcgmMetrics(root: string, components: readonly PinnedComponent[]): string[] {
  const operator = components.find((c) => c.chart === "gpu-operator");
  if (!operator) return [];
  const text = readFileSync(
    join(root, "vendor/operators/gpu-operator", operator.version, DCGM_RULES),
    "utf8",
  );
  return [...new Set([...text.matchAll(/\b(DCGM_FI_[A-Z0-9_]+)\b/g)].map((m) => m[1] as string))];
}
