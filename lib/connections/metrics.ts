import { runsOn } from "../inventory/component.ts";
import { type Connection, type MetricsEndpoint, pods, scrape, tcp } from "../inventory/connection.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import {
  dataNamespaceOf,
  endpointsOn,
  FLUX_NAMESPACE,
  homeOf,
  KEYCLOAK_NAMESPACE,
  KUBE_STATE_NAMESPACE,
} from "../platform.ts";
import { OTEL_AGENT } from "./platform-peers.ts";

/**
 * What the agents scrape on a cluster: each platform component's `metrics` (its descriptor), sorted
 * by job, and Flux's controllers (the Flux Operator's pods, lib/hydrate/flux-distribution.ts, which
 * Flux's own `allow-scraping` policy opens on 8080; kube-state-metrics reports the state of Flux's
 * objects). validate checks every endpoint against the rendered pods (lib/validate/metrics-endpoints.ts).
 */
export function metricsEndpoints(cluster: Cluster, estate: Estate): MetricsEndpoint[] {
  return [
    scrape("flux", FLUX_CONTROLLERS, 8080),
    ...estate.components
      .filter((component) => runsOn(component, cluster, estate))
      .flatMap((component) => component.metrics?.(cluster, estate) ?? []),
  ].sort((a, b) => a.job.localeCompare(b.job));
}

/** Every CloudNativePG instance of the cluster (the operator's pods): its environments' databases, Keycloak's. */
export function cnpgInstanceEndpoints(cluster: Cluster, estate: Pick<Estate, "clusters">): MetricsEndpoint[] {
  const stages = cluster.production ? [undefined] : cluster.stages;
  const data = stages
    .filter((stage) => endpointsOn(cluster, stage).some((e) => e.port === 5432))
    .map((stage) => dataNamespaceOf(cluster, stage));
  const namespaces = [
    ...new Set([...data, ...(cluster === homeOf(estate, "identity") ? [KEYCLOAK_NAMESPACE] : [])]),
  ];
  return namespaces.map((ns) =>
    scrape(`cnpg-${ns}`, pods(ns, { "cnpg.io/podRole": "instance" }, `${ns}/postgres`), 9187),
  );
}

/** Flux's controllers, by the label flux2's bases give them (manifests/bases/<controller>/labels.yaml). */
export const FLUX_CONTROLLERS = pods(
  FLUX_NAMESPACE,
  { "app.kubernetes.io/part-of": "flux" },
  "flux-controllers",
);

/** kube-state-metrics (chart kube-state-metrics). */
export const KUBE_STATE_METRICS = pods(
  KUBE_STATE_NAMESPACE,
  { "app.kubernetes.io/name": "kube-state-metrics" },
  "kube-state-metrics",
);

/** The agent to each endpoint it scrapes. */
export function metricsConnections(cluster: Cluster, estate: Estate): Connection[] {
  return [...scrapeConnections(cluster, estate)];
}

function scrapeConnections(cluster: Cluster, estate: Estate): Connection[] {
  return metricsEndpoints(cluster, estate).map((e) => ({
    name: `otel-agent-scrapes-${e.job}`,
    from: OTEL_AGENT,
    to: e.pods,
    ports: tcp(e.port),
    why: `metrics of ${e.pods.label} (${e.path}), scraped by the agent on its node`,
  }));
}
