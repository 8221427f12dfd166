import { parse } from "yaml";
import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { type DataLevel, levelRank } from "../inventory/schema.ts";

type Config = Record<string, any>;

/** Exporters that keep what they get inside the collector's own pod. */
const LOCAL_EXPORTERS = new Set(["debug", "nop"]);

/** Where one exporter of a telemetry pipeline delivers, as far as the estate can tell. */
type Destination =
  | { kind: "cluster"; cluster: Cluster }
  | { kind: "endpoint"; name: string; maxDataLevel: DataLevel }
  | { kind: "unknown"; why: string };

/**
 * Logs and traces as transfers, on the rendered collector configuration (the chart's ConfigMap, as
 * the pods read it): every pipeline of every OpenTelemetry collector ships what its receivers take in
 * to each exporter's endpoint. Logs and traces of a cluster carry the highest level of the data
 * handled there (its workloads, and `high` where it hosts the data platform). Proven for each
 * exporter: data of that level may be held where it goes (`high` never on a cloud cluster, nothing
 * from the datacenter to the cloud unless `low`, an external endpoint only up to its
 * `maxDataLevel`). An exporter whose destination is not a cluster of the estate or a declared
 * endpoint cannot be proven, and is an error.
 */
export function telemetryTransferProblems(estate: Estate, objects: readonly HydratedObject[]): string[] {
  const problems: string[] = [];
  for (const { cluster: name, origin, manifest } of objects) {
    if (manifest.kind !== "ConfigMap") continue;
    const cluster = estate.clusters.find((c) => c.name === name);
    if (!cluster) continue;
    for (const [key, text] of Object.entries((manifest as { data?: Record<string, string> }).data ?? {})) {
      const config = collectorConfig(text);
      if (!config) continue;
      const at = `${origin}: cluster "${name}": ConfigMap ${manifest.metadata?.namespace}/${manifest.metadata?.name} (${key})`;
      problems.push(...pipelineProblems(estate, cluster, config).map((p) => `${at}: telemetry: ${p}`));
    }
  }
  return problems;
}

function collectorConfig(text: string): Config | undefined {
  if (!text.includes("pipelines")) return undefined;
  let config: unknown;
  try {
    config = parse(text);
  } catch {
    return undefined;
  }
  const pipelines = (config as Config)?.service?.pipelines;
  return pipelines && typeof pipelines === "object" ? (config as Config) : undefined;
}

function pipelineProblems(estate: Estate, cluster: Cluster, config: Config): string[] {
  const level = telemetryLevel(estate, cluster);
  const problems: string[] = [];
  for (const [pipeline, spec] of Object.entries(config.service.pipelines as Record<string, Config>))
    for (const exporter of (spec?.exporters ?? []) as string[]) {
      const type = exporter.split("/")[0] as string;
      if (LOCAL_EXPORTERS.has(type)) continue;
      const endpoint = config.exporters?.[exporter]?.endpoint;
      const where = `pipeline ${pipeline} exports (${exporter})`;
      const destination =
        typeof endpoint === "string"
          ? destinationOf(estate, cluster, endpoint)
          : ({ kind: "unknown", why: "it names no endpoint" } as const);
      const problem = holdProblem(cluster, level, destination);
      if (problem) problems.push(`${where}: ${problem}`);
    }
  return problems;
}

/** The highest level handled on the cluster: its logs and traces may carry any of it. */
function telemetryLevel(estate: Estate, cluster: Cluster): DataLevel {
  if (cluster.hosts.includes("data")) return "high";
  return estate.placements
    .filter((p) => p.cluster === cluster)
    .reduce<DataLevel>(
      (max, p) => (levelRank(p.workload.dataLevel) > levelRank(max) ? p.workload.dataLevel : max),
      "low",
    );
}

function destinationOf(estate: Estate, cluster: Cluster, endpoint: string): Destination {
  let host: string;
  try {
    host = new URL(endpoint.includes("://") ? endpoint : `tcp://${endpoint}`).hostname;
  } catch {
    return { kind: "unknown", why: `its endpoint ${endpoint} is not a URL or host:port` };
  }
  if (host.endsWith(".svc.cluster.local") || host.endsWith(".svc") || !host.includes("."))
    return { kind: "cluster", cluster };
  const home = estate.clusters.find((c) => host === c.dns.domain || host.endsWith(`.${c.dns.domain}`));
  if (home) return { kind: "cluster", cluster: home };
  const declared = Object.entries(cluster.externalEndpoints).find(([, e]) => e.host === host);
  if (declared) return { kind: "endpoint", name: declared[0], maxDataLevel: declared[1].maxDataLevel };
  return {
    kind: "unknown",
    why: `${host} is no cluster of the estate and no endpoint ${cluster.name} declares`,
  };
}

function holdProblem(from: Cluster, level: DataLevel, to: Destination): string | undefined {
  if (to.kind === "unknown") return `cannot prove where ${level} data goes: ${to.why}`;
  if (to.kind === "endpoint")
    return levelRank(level) > levelRank(to.maxDataLevel)
      ? `${level} data would reach ${to.name}, an external endpoint for ${to.maxDataLevel} data at most`
      : undefined;
  const target = to.cluster;
  if (target.location !== "cloud" || levelRank(level) === levelRank("low")) return undefined;
  if (level === "high") return `high data would reach ${target.name}, a cloud cluster`;
  return from.location === "on-prem"
    ? `${level} data would leave the datacenter for ${target.name}; the cloud receives only anonymised (low) data`
    : undefined;
}
