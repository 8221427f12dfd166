import { kongConnections } from "../../lib/connections/platform.ts";
import { KONG_GATEWAY } from "../../lib/connections/platform-peers.ts";
import { gatewayReplicas } from "../../lib/gateways/topology.ts";
import { mirror } from "../../lib/images.ts";
import type { PlatformComponent } from "../../lib/inventory/component.ts";
import { scrape } from "../../lib/inventory/connection.ts";
import type { Cluster, Estate } from "../../lib/inventory/model.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";
import { gatewayVip, pinnedTo } from "../../lib/network/addresses.ts";
import { KONG_NAMESPACE } from "../../lib/platform.ts";

/** Kong: each cluster's gateway and its ingress controller (routes in charts/gateways.ts). */
export const kong: PlatformComponent = {
  name: "kong",
  chart: "ingress",
  namespace: KONG_NAMESPACE,
  ownNamespace: { holds: "the Kong gateway, its controller and consumers", podSecurity: "restricted" },
  layer: "controllers",
  values: kongValues,
  freeFormValues: [
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
  singletons: {
    "kong-controller":
      "translates routes into the gateway's configuration; the gateway keeps serving the last one",
  },
  connections: kongConnections,
  // The gateway's status listener (Prometheus plugin, charts/gateways.ts).
  metrics: () => [scrape("kong", KONG_GATEWAY, 8100)],
  operates: [
    ...["KongPlugin", "KongClusterPlugin", "KongConsumer"].map((kind) => ({
      kind: `configuration.konghq.com/${kind}`,
      creates: { noPods: "configuration the ingress controller gives the running gateway" },
    })),
    {
      kind: "gateway.networking.k8s.io/GatewayClass",
      creates: { noPods: "nothing: an unmanaged class, served by the gateway this chart runs" },
      cannotProve: (resource) =>
        resource.metadata?.annotations?.["konghq.com/gatewayclass-unmanaged"] === "true"
          ? undefined
          : "a managed GatewayClass makes a gateway operator start gateway pods; only unmanaged classes are modeled",
    },
    ...["Gateway", "HTTPRoute"].map((kind) => ({
      kind: `gateway.networking.k8s.io/${kind}`,
      creates: { noPods: "listeners and routes of the gateway this chart runs (unmanaged class)" },
    })),
  ],
};

function kongValues(cluster: Cluster, estate: Estate): Record<string, unknown> {
  const kongResources = resources(["100m", "1"], ["256Mi", "1Gi"]);
  return {
    controller: {
      ingressController: {
        image: { repository: mirror(cluster, "docker.io/kong/kubernetes-ingress-controller") },
        resources: kongResources,
      },
    },
    gateway: {
      image: { repository: mirror(cluster, "docker.io/library/kong") },
      replicaCount: gatewayReplicas(cluster),
      // A node drain (upgrade, the autoscaler) takes one gateway replica at a time.
      ...(gatewayReplicas(cluster) > 1 ? { podDisruptionBudget: { enabled: true, maxUnavailable: 1 } } : {}),
      // Keep the client's address: rate limiting and the gateway's NetworkPolicy see citizens, not nodes.
      // The address the other clusters' tunnels target, pinned on the proxy (platform contract).
      proxy: {
        externalTrafficPolicy: "Local",
        ...withAnnotations(pinnedTo(cluster, gatewayVip(estate, cluster))),
      },
      // Spans for the OpenTelemetry plugin (charts/gateways.ts); every request in non-prod.
      env: {
        tracing_instrumentations: "request,balancer,http_client",
        tracing_sampling_rate: cluster.production ? 0.1 : 1,
      },
      resources: kongResources,
    },
  };
}

function withAnnotations(annotations: Record<string, string>): { annotations?: Record<string, string> } {
  return Object.keys(annotations).length ? { annotations } : {};
}
