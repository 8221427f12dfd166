import { parse } from "yaml";
import { cachedJson } from "../cache/json-cache.ts";
import { chartMetadata, chartRoot } from "./archive.ts";
import { chartDigest } from "./render.ts";

type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Values keys the chart reads but does not list in its values.yaml (documented in its README or
 * templates only), by chart name. Keep this short: each entry says why it is allowed.
 */
export const FREE_FORM_VALUES: Readonly<Record<string, readonly { path: string; why: string }[]>> = {
  grafana: [
    {
      path: "grafana.ini",
      why: "Grafana's own ini file, every section and key written out as given (templates/_config.tpl)",
    },
  ],
  prometheus: [
    {
      path: "alertmanager.config",
      why: "Alertmanager's own configuration file, which the alertmanager chart writes out whole (templates/configmap.yaml)",
    },
    {
      path: "serverFiles",
      why: "files written into Prometheus's ConfigMap whole, alerting_rules.yml among them (templates/cm.yaml)",
    },
  ],
  rancher: [
    {
      path: "features",
      why: "becomes CATTLE_FEATURES (templates/deployment.yaml); commented out in values.yaml",
    },
    {
      path: "extraEnv",
      why: "environment entries appended to Rancher's container (templates/deployment.yaml); commented out in values.yaml",
    },
  ],
  "cluster-autoscaler": [
    {
      path: "extraArgs",
      why: "every key becomes a --<key>=<value> flag of the autoscaler (templates/deployment.yaml ranges over it)",
    },
  ],
  "opentelemetry-collector": [
    { path: "config.receivers", why: "the collector's own configuration, merged into the chart's" },
    { path: "config.processors", why: "the collector's own configuration, merged into the chart's" },
    { path: "config.exporters", why: "the collector's own configuration, merged into the chart's" },
    { path: "config.service", why: "the collector's own configuration, merged into the chart's" },
    { path: "config.extensions", why: "the collector's own configuration, merged into the chart's" },
    {
      path: "service.enabled",
      why: "commented out in values.yaml; the serviceEnabled helper reads it (off by default for a DaemonSet)",
    },
  ],
  ingress: [
    {
      path: "gateway.proxy.externalTrafficPolicy",
      why: "read by the kong subchart's service template (_helpers.tpl), not listed in values.yaml",
    },
    { path: "gateway.env", why: "kong.conf settings, rendered as KONG_<KEY> variables: any kong.conf key" },
    {
      path: "gateway.podDisruptionBudget.maxUnavailable",
      why: "commented out in the kong subchart's values.yaml; its templates/pdb.yaml reads it",
    },
  ],
  loki: [
    { path: "loki.storage.bucketNames", why: "documented as a comment in values.yaml; required for S3" },
    {
      path: "loki.limits_config",
      why: "Loki's own limits_config block, rendered whole into its config (templates/_helpers.tpl); values.yaml lists only some defaults",
    },
  ],
  // The chart's post-install jobs (lib/data/object-store.ts MINIO_JOBS), as the chart names them.
  minio: ["makeBucketJob", "makeUserJob", "makePolicyJob"].map((job) => ({
    path: `${job}.containerSecurityContext`,
    why: "read by templates/post-job.yaml, not listed in values.yaml",
  })),
};

/**
 * Values that are Kubernetes API types the chart passes through to its pods (their fields are the
 * API's, not the chart's), by key name at any depth.
 */
const KUBERNETES_TYPED_KEYS = new Set([
  "resources",
  "securityContext",
  "podSecurityContext",
  "containerSecurityContext",
]);

/** Defaults per archive read (the same Map for every release of a chart in one process). */
const defaultsOf = new WeakMap<Map<string, Buffer>, Values>();

/** The chart's default values, with each subchart's defaults merged in under its name or alias. */
export function chartDefaults(files: Map<string, Buffer>): Values {
  const known = defaultsOf.get(files);
  if (known) return known;
  const defaults = mergedDefaults(files);
  defaultsOf.set(files, defaults);
  return defaults;
}

function mergedDefaults(files: Map<string, Buffer>, dir = chartRoot(files)): Values {
  const raw = files.get(`${dir}/values.yaml`)?.toString("utf8");
  const values = (raw ? parse(raw) : {}) as Values;
  const merged: Values = isMap(values) ? { ...values } : {};
  for (const dep of chartMetadata(files, dir).dependencies) {
    const subdir = `${dir}/charts/${dep.name}`;
    if (!files.has(`${subdir}/Chart.yaml`)) continue;
    const key = dep.alias ?? dep.name;
    const sub = mergedDefaults(files, subdir);
    merged[key] = deepMerge(sub, isMap(merged[key]) ? merged[key] : {});
    if (isMap(sub.global)) merged.global = deepMerge(sub.global, isMap(merged.global) ? merged.global : {});
  }
  return merged;
}

function deepMerge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isMap(prior) && isMap(value) ? deepMerge(prior, value) : value;
  }
  return out;
}

/**
 * Keys of `values` that the chart does not know: not in its (merged) values.yaml. An empty map in
 * the defaults (`nodeSelector: {}`) takes any keys; so do the chart's FREE_FORM_VALUES paths.
 */
export function unknownValueKeys(
  values: Values,
  defaults: Values,
  freeForm: readonly string[] = [],
): string[] {
  const unknown: string[] = [];
  const walk = (given: Values, known: Values, path: string) => {
    if (Object.keys(known).length === 0) return;
    for (const [key, value] of Object.entries(given)) {
      const here = path ? `${path}.${key}` : key;
      if (freeForm.includes(here)) continue;
      if (!(key in known)) {
        unknown.push(here);
        continue;
      }
      const next = known[key];
      if (isMap(value) && isMap(next) && !KUBERNETES_TYPED_KEYS.has(key)) walk(value, next, here);
    }
  };
  walk(values, defaults, "");
  return unknown;
}

/**
 * The values keys a release gives that its chart does not know, remembered by chart digest, values
 * and allowed free-form paths (node_modules/.cache/values-keys): an unchanged release never parses
 * the chart's values.yaml again.
 */
export function unknownReleaseKeys(
  root: string,
  chart: { path: string; files: Map<string, Buffer> },
  values: Values,
  freeForm: readonly string[],
): Promise<string[]> {
  return cachedJson(
    root,
    "values-keys",
    [chartDigest(chart.path), JSON.stringify(values), JSON.stringify(freeForm)],
    () => Promise.resolve(unknownValueKeys(values, chartDefaults(chart.files), freeForm)),
  );
}
