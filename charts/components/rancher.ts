import { mirror } from "../../lib/images.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import type { Cluster } from "../../lib/inventory/model.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";
import { BOOTSTRAP_SECRET, managementHome, rancherUrl } from "../../lib/management/rancher.ts";
import { RANCHER_NAMESPACE } from "../../lib/platform.ts";

/**
 * Rancher's server on the management home (README, "Rancher"); its namespace, CA, route and the
 * managed clusters' registrations and agents are in charts/management.ts. Flux keeps the desired
 * state: Rancher's Fleet is switched off.
 */
export const rancher: PlatformComponent = {
  name: "rancher",
  chart: "rancher",
  namespace: RANCHER_NAMESPACE,
  layer: "controllers",
  runsOn: (cluster, estate) => cluster === managementHome(estate),
  withoutHooks:
    "the chart's only hooks are a pre-upgrade report Job and a post-delete cleanup Job (rancher/shell) without resources, which prod admission refuses",
  values: rancherValues,
  operates: [
    // rancher/rancher v2.14.4 pkg/controllers/provisioningv2/cluster/controller.go: a Cluster without
    // rkeConfig or clusterAPIConfig is imported, and becomes a management.cattle.io Cluster and its
    // registration token; with either, Rancher provisions machines or deploys an agent itself.
    {
      kind: "provisioning.cattle.io/Cluster",
      creates: {
        noPods:
          "the registration of an imported cluster on the management home; the agent that connects runs on the managed cluster, rendered by Flux (lib/management/agent.ts)",
      },
      cannotProve: (resource) => {
        const spec = (resource.spec ?? {}) as { rkeConfig?: unknown; clusterAPIConfig?: unknown };
        return spec.rkeConfig || spec.clusterAPIConfig
          ? "with rkeConfig or clusterAPIConfig Rancher provisions machines or deploys an agent itself, which is not modeled"
          : undefined;
      },
    },
  ],
  freeFormValues: [
    {
      path: "features",
      why: "becomes CATTLE_FEATURES (templates/deployment.yaml); commented out in values.yaml",
    },
    {
      path: "extraEnv",
      why: "environment entries appended to Rancher's container (templates/deployment.yaml); commented out in values.yaml",
    },
  ],
};

function rancherValues(cluster: Cluster): Record<string, unknown> {
  return {
    ingress: { enabled: false },
    networkExposure: { type: "none" },
    // TLS ends at the internal gateway, with the certificate from the organisation's CA.
    tls: "external",
    privateCA: true,
    agentTLSMode: "strict",
    // Rancher's own images and the system charts' come from the mirror; no catalog from the internet.
    systemDefaultRegistry: mirror(cluster, "docker.io"),
    useBundledSystemChart: true,
    image: { repository: "rancher/rancher" },
    replicas: 3,
    resources: resources(["500m", "2"], ["1Gi", "4Gi"]),
    // Flux owns the desired state of every cluster; Fleet would be a second GitOps engine. Turtles
    // (Cluster API) only provisions clusters, which Rancher does not do here.
    features: "fleet=false,continuous-delivery=false,turtles=false",
    postDelete: { enabled: false },
    extraEnv: [
      // The `server-url` setting (settings read CATTLE_<NAME>): the address the agents are given.
      // With networkExposure none the chart's `hostname` would reach only its NOTES.
      { name: "CATTLE_SERVER_URL", value: rancherUrl(cluster) },
      {
        name: "CATTLE_BOOTSTRAP_PASSWORD",
        valueFrom: { secretKeyRef: { name: BOOTSTRAP_SECRET, key: "password" } },
      },
      // RKE2 versions are the platform contract's (clusters/*.ts), upgraded by the datacenter team:
      // no system-upgrade-controller from Rancher on the managed clusters.
      { name: "CATTLE_IMPORTED_CLUSTER_VERSION_MANAGEMENT", value: "false" },
    ],
  };
}
