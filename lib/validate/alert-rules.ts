import { parse } from "yaml";
import type { HydratedObject } from "../hydrate/index.ts";
import type { ExposedMetric } from "../observability/metric-catalogue.ts";
import { readPromql } from "../observability/promql.ts";

type Spec = Record<string, any>;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/**
 * The alert rules as the metrics store loads them (the rendered `alerting_rules.yml` of a
 * prometheus chart's ConfigMap): each expression reads as PromQL, and each metric it selects is one
 * a scraped exporter defines (its vendored source, lib/observability/metric-catalogue.ts) and that
 * some agent's scrape job collects. A rule on a metric nothing exposes would never fire.
 */
export function alertRuleProblems(
  objects: readonly HydratedObject[],
  catalogue: ReadonlyMap<string, ExposedMetric>,
  scrapeJobs: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const { cluster, origin, manifest } of objects) {
    const rulesFile = (manifest as Spec).data?.["alerting_rules.yml"];
    if (manifest.kind !== "ConfigMap" || typeof rulesFile !== "string") continue;
    const at = `${origin}: cluster "${cluster}": ConfigMap ${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
    let groups: Spec[];
    try {
      groups = (parse(rulesFile)?.groups ?? []) as Spec[];
    } catch (error) {
      problems.push(`${at}: alerting_rules.yml is not YAML: ${(error as Error).message}`);
      continue;
    }
    for (const rule of groups.flatMap((g) => (g.rules ?? []) as Spec[])) {
      const where = `${at}: alert ${rule.alert}`;
      if (rule.for !== undefined && !DURATION.test(String(rule.for)))
        problems.push(`${where}: for "${rule.for}" is not a duration`);
      problems.push(...queryProblems(where, String(rule.expr ?? ""), catalogue, scrapeJobs));
    }
  }
  return problems;
}

/**
 * The dashboards as Grafana loads them (the JSON files of a ConfigMap): every panel query is held to
 * what an alert is held to.
 */
export function dashboardQueryProblems(
  objects: readonly HydratedObject[],
  catalogue: ReadonlyMap<string, ExposedMetric>,
  scrapeJobs: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const { cluster, origin, manifest } of objects) {
    if (manifest.kind !== "ConfigMap") continue;
    for (const [file, text] of Object.entries(((manifest as Spec).data ?? {}) as Record<string, string>)) {
      if (!file.endsWith(".json") || !text.includes('"panels"')) continue;
      const at = `${origin}: cluster "${cluster}": dashboard ${file}`;
      let dashboard: Spec;
      try {
        dashboard = JSON.parse(text);
      } catch (error) {
        problems.push(`${at}: not JSON: ${(error as Error).message}`);
        continue;
      }
      for (const panel of (dashboard.panels ?? []) as Spec[])
        for (const target of (panel.targets ?? []) as Spec[])
          problems.push(
            ...queryProblems(
              `${at}: panel "${panel.title}"`,
              String(target.expr ?? ""),
              catalogue,
              scrapeJobs,
            ),
          );
    }
  }
  return problems;
}

/** One PromQL query: it reads, and selects only metrics a scraped exporter defines and an agent collects. */
function queryProblems(
  where: string,
  expr: string,
  catalogue: ReadonlyMap<string, ExposedMetric>,
  scrapeJobs: ReadonlySet<string>,
): string[] {
  const reading = readPromql(expr);
  const problems = reading.problems.map((p) => `${where}: expr is not PromQL: ${p}`);
  for (const metric of reading.metrics) {
    const exposed = catalogue.get(metric);
    if (!exposed) problems.push(`${where}: metric ${metric} is exposed by no scraped exporter`);
    else if (exposed.job && ![...scrapeJobs].some((job) => job.startsWith(exposed.job)))
      problems.push(`${where}: metric ${metric} (${exposed.source}) is not scraped by any agent`);
  }
  return problems;
}
