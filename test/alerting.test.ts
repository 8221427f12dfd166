import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import { metricsEndpoints } from "../lib/connections/metrics.ts";
import { alertingProblems } from "../lib/estate/alerting.ts";
import { gpuNodesOf } from "../lib/hydrate/gpu-operands.ts";
import { type HydratedObject, hydrate } from "../lib/hydrate/index.ts";
import type { Estate } from "../lib/inventory/model.ts";
import { ALERT_RULES } from "../lib/observability/alerts.ts";
import { metricCatalogue } from "../lib/observability/metric-catalogue.ts";
import { readPromql } from "../lib/observability/promql.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { alertRuleProblems, dashboardQueryProblems } from "../lib/validate/alert-rules.ts";
import { validateHydrated } from "../lib/validate/hydrated.ts";
import { REPO, renderFixtureEstate, withClusters } from "./helpers.ts";

const WEBHOOK = {
  host: "alerts.waterschap.example",
  cidr: "10.10.4.20/32",
  port: 443,
  kind: "notification",
  maxDataLevel: "high",
} as const;

/** The fixture estate with an alert receiver on its observability home (object edits). */
function withAlerting(estate: Estate): Estate {
  return withClusters(
    estate,
    (c) => c.hosts.includes("observability"),
    (c) => ({
      ...c,
      externalEndpoints: { ...c.externalEndpoints, "alert-webhook": WEBHOOK },
      alerting: { endpoint: "alert-webhook", webhook: { path: "/alertmanager" } },
    }),
  );
}

describe("alerts as code, on metrics the scraped exporters expose", () => {
  let root: string;
  let estate: Estate;
  let tree: FileTree;
  let objects: readonly HydratedObject[];
  beforeAll(async () => {
    const fixture = await renderFixtureEstate();
    root = fixture.root;
    estate = withAlerting(fixture.estate);
    tree = await synthesize(estate, root, buildCluster);
    objects = (await hydrate(REPO, tree, gpuNodesOf(estate.clusters))).objects;
  });

  it("the catalogue is read from the exporters' sources, and every rule's metric is in it", () => {
    const catalogue = metricCatalogue(REPO, PLATFORM_COMPONENTS);
    expect(catalogue.get("cnpg_pg_stat_archiver_failed_count")?.source).toBe(
      "cloudnative-pg default-monitoring.yaml",
    );
    expect(catalogue.get("certmanager_certificate_expiration_timestamp_seconds")?.job).toBe("cert-manager");
    expect(catalogue.has("kyverno_admission_requests_total")).toBe(true);
    expect(catalogue.get("kube_node_status_allocatable")?.source).toBe(
      "kube-state-metrics internal/store/node.go",
    );
    expect(catalogue.get("gotk_resource_info")?.job).toBe("kube-state-metrics");
    // the Flux controllers' own, from fluxcd/pkg's recorder (a histogram: its three series)
    expect(catalogue.get("gotk_reconcile_duration_seconds_bucket")).toEqual({
      source: "fluxcd/pkg runtime/metrics/recorder.go",
      job: "flux",
    });
    expect(catalogue.has("gotk_reconcile_duration_seconds")).toBe(false);
    expect(catalogue.has("kong_request_latency_ms_bucket")).toBe(true);
    expect(catalogue.get("DCGM_FI_DEV_GPU_UTIL")?.job).toBe("dcgm-exporter");
    expect(catalogue.has("cnpg_collector_does_not_exist")).toBe(false);
    for (const rule of ALERT_RULES) {
      const reading = readPromql(rule.expr);
      expect(reading.problems, rule.alert).toEqual([]);
      for (const metric of reading.metrics)
        expect(catalogue.has(metric), `${rule.alert}: ${metric}`).toBe(true);
    }
  });

  it("reads PromQL as far as the proof needs: brackets, ranges, functions, metric names", () => {
    expect(readPromql('sum by (a, b) (rate(x_total{job="j"}[5m])) > 0')).toEqual({
      problems: [],
      metrics: ["x_total"],
    });
    expect(readPromql("rate(x[5m]").problems).toEqual(['unclosed "("']);
    expect(readPromql("rate(x[5 minutes])").problems).toEqual(['"[5 minutes]" is not a range duration']);
    expect(readPromql("rat(x[5m])").problems).toEqual(['"rat" is no PromQL function']);
    // numbers are no metric names: an offset's duration, an exponent
    expect(readPromql("rate(x[5m] offset 5m) > 1e3")).toEqual({ problems: [], metrics: ["x"] });
  });

  it("the rendered store has the rules, and an Alertmanager that posts to the declared receiver", async () => {
    const { problems } = await validateHydrated(root, tree, estate);
    expect(problems).toEqual([]);
    const config = objects.find(
      (o) => o.manifest.kind === "ConfigMap" && o.manifest.metadata?.name === "prometheus-alertmanager",
    );
    const alertmanager = parse((config?.manifest as any)?.data?.["alertmanager.yml"] ?? "");
    expect(alertmanager.receivers).toEqual([
      {
        name: "operations",
        webhook_configs: [
          {
            url: "https://alerts.waterschap.example:443/alertmanager",
            http_config: { tls_config: { ca_file: "/etc/org-ca/ca.crt" } },
            send_resolved: true,
          },
        ],
      },
    ]);
  });

  it("an alert on an unknown metric, or with a bad expression, fails validate", async () => {
    const path = [...tree.keys()].find((p) =>
      p.endsWith("/observability/helmrelease-prometheus.yaml"),
    ) as string;
    const release = parse(tree.get(path) as string);
    const rules = release.spec.values.serverFiles["alerting_rules.yml"].groups[0].rules;
    rules.find((r: any) => r.alert === "PostgresDown").expr = "cnpg_collector_upp == 0";
    rules.find((r: any) => r.alert === "CertificateNotReady").expr =
      'certmanager_certificate_ready_status{condition="False" == 1';
    const broken = new Map(tree).set(path, stringify(release));
    const { problems } = await validateHydrated(root, broken, estate);
    const text = problems.join("\n");
    expect(text).toMatch(/alert PostgresDown: metric cnpg_collector_upp is exposed by no scraped exporter/);
    expect(text).toContain('alert CertificateNotReady: expr is not PromQL: unclosed "{"');
  });

  it("a rule on a metric no agent scrapes is named", () => {
    const noJobs = alertRuleProblems(objects, metricCatalogue(REPO, PLATFORM_COMPONENTS), new Set(["kong"]));
    expect(noJobs.join("\n")).toContain(
      "metric cnpg_pg_stat_archiver_failed_count (cloudnative-pg default-monitoring.yaml) is not scraped by any agent",
    );
    const jobs = new Set(estate.clusters.flatMap((c) => metricsEndpoints(c, estate).map((e) => e.job)));
    expect(alertRuleProblems(objects, metricCatalogue(REPO, PLATFORM_COMPONENTS), jobs)).toEqual([]);
  });

  it("alerts go only to the authority's own receiver, from the observability home", () => {
    const at = { file: "clusters/x.ts", cluster: "x" };
    const base = {
      hosts: ["observability"],
      externalEndpoints: { "alert-webhook": { ...WEBHOOK } },
      alerting: { endpoint: "alert-webhook", webhook: { path: "/a" } },
    } as any;
    expect(alertingProblems(at, base)).toEqual([]);
    const lowLevel = { ...base, externalEndpoints: { "alert-webhook": { ...WEBHOOK, maxDataLevel: "low" } } };
    expect(alertingProblems(at, lowLevel)[0]?.message).toContain(
      "must be the authority's own (maxDataLevel high)",
    );
    expect(alertingProblems(at, { ...base, hosts: [] })[0]?.message).toContain("only the observability home");
    expect(
      alertingProblems(at, { ...base, alerting: { endpoint: "nope", webhook: { path: "/a" } } })[0]?.field,
    ).toBe("alerting.endpoint");
  });

  it("Grafana: data sources per tenant, traces linked to logs, sign-in through Keycloak, dashboards on scraped metrics", () => {
    const config = objects.find(
      (o) => o.manifest.kind === "ConfigMap" && o.manifest.metadata?.name === "grafana",
    );
    const data = (config?.manifest as any)?.data ?? {};
    const sources = parse(data["datasources.yaml"] ?? "").datasources as any[];
    const home = estate.clusters.find((c) => c.hosts.includes("observability"))?.name;
    expect(sources.map((d) => d.uid)).toEqual([
      "prometheus",
      "loki-all",
      "tempo-all",
      ...estate.clusters.flatMap((c) => [`loki-${c.name}`, `tempo-${c.name}`]),
    ]);
    // a request crosses clusters: one source asks every tenant at once
    expect(sources.find((d) => d.uid === "tempo-all").secureJsonData).toEqual({
      httpHeaderValue1: estate.clusters.map((c) => c.name).join("|"),
    });
    const tempo = sources.find((d) => d.uid === `tempo-${home}`);
    expect(tempo.secureJsonData).toEqual({ httpHeaderValue1: home });
    expect(tempo.jsonData.tracesToLogsV2.datasourceUid).toBe(`loki-${home}`);
    const ini = data["grafana.ini"] as string;
    expect(ini).toContain(
      "token_url = https://keycloak-service.identity.svc:8443/realms/waterschap/protocol/openid-connect/token",
    );
    expect(ini).toContain("disable_login_form = true");
    const dashboards = objects.find((o) => o.manifest.metadata?.name === "grafana-dashboards-estate");
    expect(Object.keys((dashboards?.manifest as any)?.data ?? {}).sort()).toEqual([
      "data-and-backups.json",
      "estate-health.json",
      "flux.json",
      "gateways.json",
      "gpus.json",
      "policies.json",
    ]);
  });

  it("a dashboard panel on a metric nothing exposes is named", () => {
    const catalogue = metricCatalogue(REPO, PLATFORM_COMPONENTS);
    const jobs = new Set(estate.clusters.flatMap((c) => metricsEndpoints(c, estate).map((e) => e.job)));
    expect(dashboardQueryProblems(objects, catalogue, jobs)).toEqual([]);
    const edited = objects.map((o) => {
      if (o.manifest.metadata?.name !== "grafana-dashboards-estate") return o;
      const data = { ...(o.manifest as any).data };
      data["policies.json"] = data["policies.json"].replace(
        "kyverno_admission_requests_total",
        "kyverno_requests_total",
      );
      return { ...o, manifest: { ...o.manifest, data } as any };
    });
    expect(dashboardQueryProblems(edited, catalogue, jobs).join("\n")).toMatch(
      /dashboard policies\.json: panel "Admission requests refused": metric kyverno_requests_total is exposed by no scraped exporter/,
    );
  });
});
