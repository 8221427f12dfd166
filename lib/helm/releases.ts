import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { cachedJsonSync } from "../cache/json-cache.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { type ChartMetadata, chartMetadata, chartRoot, readChartArchive } from "./archive.ts";
import { chartDigest } from "./render.ts";

/** Where the upstream chart archives the estate installs are kept, with SOURCES.md and licenses. */
export const VENDOR_DIR = "vendor/charts";

/** A HelmRelease as helm-controller will install it, with the chart it names. */
export interface HelmReleaseTarget {
  readonly name: string;
  /** The HelmRelease object's own namespace. */
  readonly namespace: string;
  /** `releaseName`, else `[<targetNamespace>-]<name>`, as helm-controller names it. */
  readonly releaseName: string;
  /** Where the chart's objects go: `targetNamespace`, else the HelmRelease's namespace. */
  readonly targetNamespace: string;
  readonly chart: string;
  readonly version: string;
  readonly values: Record<string, unknown>;
  /**
   * Whether the chart's hooks run: helm-controller leaves them out only where every action that
   * runs them disables them (install, upgrade, rollback and uninstall `disableHooks`).
   */
  readonly hooks: boolean;
}

type Action = { disableHooks?: boolean };

interface HelmReleaseSpec {
  releaseName?: string;
  targetNamespace?: string;
  chart?: {
    spec: { chart: string; version?: string; sourceRef: { kind: string; name: string; namespace?: string } };
  };
  chartRef?: { kind: string; name: string; namespace?: string };
  values?: Record<string, unknown>;
  valuesFrom?: unknown[];
  install?: Action;
  upgrade?: Action;
  rollback?: Action;
  uninstall?: Action;
}

/**
 * Resolves a HelmRelease against the sources among `objects` (the same cluster). Returns the reason
 * when it cannot be rendered offline: a missing source, `valuesFrom` (not supported: the values must
 * be in Git to be reviewed), or an unpinned version.
 */
export function resolveRelease(hr: Manifest, objects: readonly Manifest[]): HelmReleaseTarget | string {
  const spec = (hr.spec ?? {}) as HelmReleaseSpec;
  const name = hr.metadata?.name as string;
  const namespace = hr.metadata?.namespace as string;
  if (spec.valuesFrom?.length) return "uses valuesFrom, which the offline renderer does not support";
  const find = (kind: string, ref: { name: string; namespace?: string }) =>
    objects.find(
      (o) =>
        o.kind === kind &&
        o.metadata?.name === ref.name &&
        o.metadata?.namespace === (ref.namespace ?? namespace),
    );
  let chart: string;
  let version: string | undefined;
  if (spec.chartRef) {
    const source = find(spec.chartRef.kind, spec.chartRef);
    if (!source) return `chartRef ${spec.chartRef.kind}/${spec.chartRef.name} does not exist`;
    const sourceSpec = (source.spec ?? {}) as { url?: string; ref?: { tag?: string } };
    if (!sourceSpec.url) return `chartRef ${spec.chartRef.kind}/${spec.chartRef.name} has no url`;
    chart = sourceSpec.url.split("/").pop() as string;
    version = sourceSpec.ref?.tag;
  } else if (spec.chart) {
    const ref = spec.chart.spec.sourceRef;
    const source = find(ref.kind, ref);
    if (!source) return `chart source ${ref.kind}/${ref.name} does not exist`;
    chart = spec.chart.spec.chart;
    version = spec.chart.spec.version;
  } else return "names no chart";
  if (!version) return `chart ${chart} has no pinned version`;
  const targetNamespace = spec.targetNamespace ?? namespace;
  const releaseName = spec.releaseName ?? (spec.targetNamespace ? `${spec.targetNamespace}-${name}` : name);
  return {
    name,
    namespace,
    releaseName,
    targetNamespace,
    chart,
    version,
    values: spec.values ?? {},
    hooks: ![spec.install, spec.upgrade, spec.rollback, spec.uninstall].every(
      (a) => a?.disableHooks === true,
    ),
  };
}

/** Archives read in this process, by path and modification time: each cluster's release shares one. */
const archives = new Map<string, Map<string, Buffer>>();

function archiveFiles(path: string): Map<string, Buffer> {
  const key = `${path} ${statSync(path).mtimeMs}`;
  const files = archives.get(key) ?? readChartArchive(path);
  archives.set(key, files);
  return files;
}

export interface VendoredChart {
  readonly path: string;
  readonly metadata: ChartMetadata;
  /** The archive's files, unpacked when first asked for (a cached render needs none of them). */
  readonly files: Map<string, Buffer>;
}

/**
 * The vendored archive of `chart` at `version`, checked to be that chart; a reason when there is
 * none. Its Chart.yaml is read once per archive content (cached by digest), the rest only on demand.
 */
export function vendoredChart(root: string, chart: string, version: string): VendoredChart | string {
  const path = join(root, VENDOR_DIR, `${chart}-${version}.tgz`);
  if (!existsSync(path))
    return `chart ${chart} ${version} is not vendored in ${VENDOR_DIR}/ (add ${chart}-${version}.tgz)`;
  const metadata = cachedJsonSync(root, "chart-metadata", [chartDigest(path)], () => {
    const files = archiveFiles(path);
    return chartMetadata(files, chartRoot(files));
  });
  if (metadata.name !== chart || metadata.version !== version)
    return `${VENDOR_DIR}/${chart}-${version}.tgz holds chart ${metadata.name} ${metadata.version}`;
  return {
    path,
    metadata,
    get files() {
      return archiveFiles(path);
    },
  };
}
