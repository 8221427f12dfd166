import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { CHART_PINS } from "../lib/flux/chart-pins.ts";
import { HelmComponent } from "../lib/flux/helm-component.ts";
import { Layer } from "../lib/flux/layers.ts";
import { gatewayReplicas } from "../lib/gateways/topology.ts";
import { mirror } from "../lib/images.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { resources } from "../lib/k8s/pod-defaults.ts";
import { gatewayVip, pinnedTo } from "../lib/network/addresses.ts";
import {
  CERT_MANAGER_NAMESPACE,
  CNPG_NAMESPACE,
  GPU_OPERATOR_NAMESPACE,
  KONG_NAMESPACE,
  KYVERNO_NAMESPACE,
} from "../lib/platform.ts";
import { gpuOperatorValues } from "./gpu-operator-values.ts";

/** The operators and controllers each cluster runs, installed by the `controllers` Flux layer. */
export class ControllersChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "controllers", { disableResourceNameHashes: true });
    const layer = Layer.in(this, "controllers");
    kyverno(layer, cluster);
    kong(layer, cluster, estate);
    if (cluster.gpuNodes) {
      // The GPU operator installs drivers and the container toolkit on the host: privileged by nature.
      new HelmComponent(layer, cluster, {
        name: "gpu-operator",
        namespace: GPU_OPERATOR_NAMESPACE,
        chart: CHART_PINS.gpuOperator,
        values: gpuOperatorValues(cluster),
      });
    }
    cloudnativePg(layer, cluster);
  }
}

function kyverno(layer: Construct, cluster: Cluster): void {
  const replicas = cluster.production ? 3 : 1;
  // Kyverno runs its admission webhooks with host-independent pods: restricted is enough.
  new HelmComponent(layer, cluster, {
    name: "kyverno",
    namespace: KYVERNO_NAMESPACE,
    chart: CHART_PINS.kyverno,
    values: {
      global: { image: { registry: mirror(cluster, "reg.kyverno.io") } },
      admissionController: { replicas },
      features: { policyExceptions: { enabled: true, namespace: KYVERNO_NAMESPACE } },
      // Hook and test jobs name their own registry; route them through the mirror too.
      webhooksCleanup: { image: { registry: mirror(cluster, "reg.kyverno.io") } },
      test: { image: { registry: mirror(cluster, "reg.kyverno.io") } },
    },
  });
}

function kong(layer: Construct, cluster: Cluster, estate: Estate): void {
  const kongResources = resources(["100m", "1"], ["256Mi", "1Gi"]);
  new HelmComponent(layer, cluster, {
    name: "kong",
    namespace: KONG_NAMESPACE,
    chart: CHART_PINS.kong,
    values: {
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
        ...(gatewayReplicas(cluster) > 1
          ? { podDisruptionBudget: { enabled: true, maxUnavailable: 1 } }
          : {}),
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
    },
  });
}

/** The CloudNativePG operator and its Barman Cloud plugin for backups. */
function cloudnativePg(layer: Construct, cluster: Cluster): void {
  new HelmComponent(layer, cluster, {
    name: "cloudnative-pg",
    namespace: CNPG_NAMESPACE,
    chart: CHART_PINS.cloudnativePg,
    values: {
      image: { repository: mirror(cluster, "ghcr.io/cloudnative-pg/cloudnative-pg") },
      resources: resources(["100m", "1"], ["256Mi", "512Mi"]),
    },
  });
  // Database backups: the plugin talks to the operator over mTLS with certificates from cert-manager.
  new HelmComponent(layer, cluster, {
    name: "plugin-barman-cloud",
    namespace: CNPG_NAMESPACE,
    chart: CHART_PINS.barmanCloud,
    ownNamespace: false,
    dependsOn: [
      { name: "cloudnative-pg", namespace: CNPG_NAMESPACE },
      { name: "cert-manager", namespace: CERT_MANAGER_NAMESPACE },
    ],
    values: {
      image: { registry: mirror(cluster, "ghcr.io") },
      sidecarImage: { registry: mirror(cluster, "ghcr.io") },
      resources: resources(["50m", "500m"], ["64Mi", "256Mi"]),
    },
  });
}

function withAnnotations(annotations: Record<string, string>): { annotations?: Record<string, string> } {
  return Object.keys(annotations).length ? { annotations } : {};
}
