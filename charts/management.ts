import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Secret } from "kubernetes-models/v1/Secret";
import { Layer } from "../lib/flux/layers.ts";
import { datacenterRoute, tunnelSources } from "../lib/gateways/tunnel.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { rancherAgent, rancherNamespace } from "../lib/management/agent.ts";
import { managementHome, RANCHER_CA_SECRET, rancherHost, rancherVersion } from "../lib/management/rancher.ts";
import { registrations } from "../lib/management/registration.ts";
import { RANCHER_NAMESPACE } from "../lib/platform.ts";
import { platformException } from "../lib/rules/exceptions.ts";

/** Rancher installs its webhook on every cluster it manages (lib/hydrate/rancher-system-charts.ts). */
const RANCHER_WEBHOOK_EXCEPTION = {
  name: "rancher-webhook",
  namespace: RANCHER_NAMESPACE,
  policies: ["require-requests-limits"],
  condition:
    "object.metadata.name == 'rancher-webhook' || (has(object.metadata.labels) && 'app' in object.metadata.labels && object.metadata.labels['app'] == 'rancher-webhook')",
  reason:
    "Rancher installs its rancher-webhook chart itself (v0.10.9, templates/deployment.yaml), which takes no resources from any value; only that Deployment and its pods",
};

/**
 * One Rancher for the estate, on the management home (README, "Rancher"): the server installed by
 * Flux from the upstream chart (charts/components/rancher.ts), behind the internal gateway, with the managed clusters registered
 * as Git data; on every other cluster the agent that dials out to it. Flux keeps the desired state:
 * Rancher's Fleet is switched off.
 */
export class ManagementChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "management", { disableResourceNameHashes: true });
    const home = managementHome(estate);
    if (!home) return;
    addModel(Layer.in(this, "configs"), platformException(RANCHER_WEBHOOK_EXCEPTION));
    if (cluster !== home) {
      rancherAgent(Layer.in(this, "controllers"), cluster, home, rancherVersion(estate));
      return;
    }
    rancherServer(Layer.in(this, "controllers"), cluster);
    // For the managed clusters (their nodes reach the gateway through the tunnel) only what the agent
    // calls (TUNNEL_OPEN_PATHS); the UI and API only for the datacenter.
    datacenterRoute(Layer.in(this, "apps"), cluster, tunnelSources(cluster, estate.clusters), {
      name: "rancher",
      namespace: RANCHER_NAMESPACE,
      host: rancherHost(cluster),
      backend: { name: "rancher", port: 80 },
      openName: "rancher-agents",
    });
    registrations(
      Layer.in(this, "apps"),
      estate.clusters.filter((c) => c !== home),
    );
  }
}

/** Beside the server (charts/components/rancher.ts): its namespace and CA. */
function rancherServer(scope: Construct, cluster: Cluster): void {
  rancherNamespace(scope);
  // Rancher's `cacerts` setting: the organisation's CA, which the agents verify by checksum.
  addModel(
    scope,
    new Secret({
      metadata: {
        name: RANCHER_CA_SECRET,
        namespace: RANCHER_NAMESPACE,
        labels: { "waterschap.example/public-ca": "true" },
      },
      type: "Opaque",
      stringData: { "cacerts.pem": cluster.pki.caCertificatePem },
    }),
  );
}
