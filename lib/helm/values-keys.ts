import { parse } from "yaml";
import { cachedJson } from "../cache/json-cache.ts";
import { chartMetadata, chartRoot } from "./archive.ts";
import { chartDigest } from "./render.ts";

type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => !!v && typeof v === "object" && !Array.isArray(v);

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
 * the defaults (`nodeSelector: {}`) takes any keys; so do the component's `freeFormValues` paths.
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
