import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { HelmComponent } from "../lib/flux/helm-component.ts";
import { Layer } from "../lib/flux/layers.ts";
import { mirror } from "../lib/images.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import { KONG_NAMESPACE, KYVERNO_NAMESPACE } from "../lib/platform.ts";

/** Pinned platform charts (DESIGN.md section 8). Bump here; the PR diff shows every cluster it touches. */
export const CHARTS = {
  kyverno: { repository: "https://kyverno.github.io/kyverno/", chart: "kyverno", version: "3.9.0" },
  kong: { repository: "https://charts.konghq.com", chart: "ingress", version: "0.24.0" },
  gpuOperator: {
    repository: "https://helm.ngc.nvidia.com/nvidia",
    chart: "gpu-operator",
    version: "v26.7.0",
  },
  cloudnativePg: {
    repository: "oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg",
    chart: "cloudnative-pg",
    version: "0.29.0",
  },
} as const;

/** The operators and controllers each cluster runs, installed by the `controllers` Flux layer. */
export class ControllersChart extends Chart {
  constructor(scope: Construct, cluster: Cluster) {
    super(scope, "controllers", { disableResourceNameHashes: true });
    const layer = Layer.in(this, "controllers");
    const replicas = cluster.production ? 3 : 1;

    // Kyverno runs its admission webhooks with host-independent pods: restricted is enough.
    new HelmComponent(layer, {
      name: "kyverno",
      namespace: KYVERNO_NAMESPACE,
      chart: CHARTS.kyverno,
      podSecurity: "restricted",
      values: {
        global: { image: { registry: mirror(cluster, "reg.kyverno.io") } },
        admissionController: { replicas },
        features: { policyExceptions: { enabled: true, namespace: KYVERNO_NAMESPACE } },
      },
    });

    new HelmComponent(layer, {
      name: "kong",
      namespace: KONG_NAMESPACE,
      chart: CHARTS.kong,
      podSecurity: "restricted",
      values: {
        controller: {
          ingressController: {
            image: { repository: mirror(cluster, "docker.io/kong/kubernetes-ingress-controller") },
          },
        },
        gateway: {
          image: { repository: mirror(cluster, "docker.io/library/kong") },
          replicaCount: cluster.production ? 2 : 1,
        },
      },
    });

    if (cluster.gpuNodes) {
      // The GPU operator installs drivers and the container toolkit on the host: privileged by nature.
      new HelmComponent(layer, {
        name: "gpu-operator",
        namespace: "gpu-operator",
        chart: CHARTS.gpuOperator,
        podSecurity: "privileged",
        values: {
          operator: { repository: mirror(cluster, "nvcr.io/nvidia") },
          driver: { repository: mirror(cluster, "nvcr.io/nvidia") },
          toolkit: {
            repository: mirror(cluster, "nvcr.io/nvidia/k8s"),
            // RKE2 runs its own containerd; the toolkit must configure that one.
            env: [
              { name: "CONTAINERD_SOCKET", value: "/run/k3s/containerd/containerd.sock" },
              {
                name: "CONTAINERD_CONFIG",
                value: "/var/lib/rancher/rke2/agent/etc/containerd/config.toml.tmpl",
              },
            ],
          },
        },
      });
    }
    new HelmComponent(layer, {
      name: "cloudnative-pg",
      namespace: "cnpg-system",
      chart: CHARTS.cloudnativePg,
      podSecurity: "restricted",
      values: { image: { repository: mirror(cluster, "ghcr.io/cloudnative-pg/cloudnative-pg") } },
    });
  }
}
