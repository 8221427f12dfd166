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
      const reading = readPromql(String(rule.expr ?? ""));
      for (const p of reading.problems) problems.push(`${where}: expr is not PromQL: ${p}`);
      for (const metric of reading.metrics) {
        const exposed = catalogue.get(metric);
        if (!exposed) problems.push(`${where}: metric ${metric} is exposed by no scraped exporter`);
        else if (exposed.job && ![...scrapeJobs].some((job) => job.startsWith(exposed.job)))
          problems.push(`${where}: metric ${metric} (${exposed.source}) is not scraped by any agent`);
      }
    }
  }
  return problems;
}
