import { mirror } from "../images.ts";
import type { Cluster } from "../inventory/model.ts";
import { resources } from "../k8s/pod-defaults.ts";

/** The Flux kinds whose readiness is exported (their served versions on the estate's Flux). */
const FLUX_KINDS = [
  { group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization", resource: "kustomizations" },
  { group: "helm.toolkit.fluxcd.io", version: "v2", kind: "HelmRelease", resource: "helmreleases" },
];

/**
 * kube-state-metrics' custom resources: every Flux Kustomization and HelmRelease as
 * `gotk_resource_info` with its Ready status and whether it is suspended (the shape Flux's
 * monitoring example uses; docs/metrics/extend/customresourcestate-metrics.md at v2.20.0).
 */
const FLUX_STATE = {
  kind: "CustomResourceStateMetrics",
  spec: {
    resources: FLUX_KINDS.map(({ group, version, kind }) => ({
      groupVersionKind: { group, version, kind },
      metricNamePrefix: "gotk",
      metrics: [
        {
          name: "resource_info",
          help: `The current state of a Flux ${kind}.`,
          each: { type: "Info", info: { labelsFromPath: { name: ["metadata", "name"] } } },
          labelsFromPath: {
            exported_namespace: ["metadata", "namespace"],
            ready: ["status", "conditions", "[type=Ready]", "status"],
            suspended: ["spec", "suspend"],
          },
        },
      ],
    })),
  },
};

/** The metric names our custom resource configuration makes (`<prefix>_<name>`). */
export function customResourceMetricNames(): string[] {
  return FLUX_STATE.spec.resources.flatMap((r) => r.metrics.map((m) => `${r.metricNamePrefix}_${m.name}`));
}

/**
 * kube-state-metrics on every cluster (the prometheus-community chart): nodes, workloads and
 * CronJobs as the API server holds them, and Flux's readiness, for the alerts that need them (a
 * Flux object not Ready, a GPU node without allocatable GPUs, a bucket mirror that stopped).
 */
export function kubeStateValues(cluster: Cluster): Record<string, unknown> {
  return {
    image: {
      registry: mirror(cluster, "registry.k8s.io"),
      repository: "kube-state-metrics/kube-state-metrics",
    },
    resources: resources(["50m", "500m"], ["128Mi", "512Mi"]),
    collectors: ["cronjobs", "daemonsets", "deployments", "jobs", "nodes", "pods", "statefulsets"],
    customResourceState: { enabled: true, config: FLUX_STATE },
    rbac: {
      extraRules: [
        {
          apiGroups: [...new Set(FLUX_KINDS.map((k) => k.group))],
          resources: FLUX_KINDS.map((k) => k.resource),
          verbs: ["list", "watch"],
        },
      ],
    },
  };
}
