import { certManagerConnections } from "../../lib/connections/platform.ts";
import { mirror } from "../../lib/images.ts";
import type { CustomResource, PlatformComponent } from "../../lib/inventory/component.ts";
import { pods, scrape } from "../../lib/inventory/connection.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";
import { CERT_MANAGER_NAMESPACE } from "../../lib/platform.ts";

/** cert-manager: the certificates of gateways, Keycloak and PostgreSQL (issuers in charts/pki.ts). */
export const certManager: PlatformComponent = {
  name: "cert-manager",
  chart: "cert-manager",
  namespace: CERT_MANAGER_NAMESPACE,
  ownNamespace: { holds: "cert-manager", podSecurity: "restricted" },
  layer: "controllers",
  values: (cluster) => {
    const small = resources(["50m", "500m"], ["64Mi", "256Mi"]);
    return {
      crds: { enabled: true, keep: true },
      imageRegistry: mirror(cluster, "quay.io"),
      resources: resources(["50m", "500m"], ["128Mi", "512Mi"]),
      webhook: {
        replicaCount: cluster.production ? 2 : 1,
        resources: small,
        // A node drain (upgrade, the autoscaler) takes one webhook replica at a time.
        // Without a number the chart's budget keeps one available (minAvailable: 1).
        ...(cluster.production ? { podDisruptionBudget: { enabled: true } } : {}),
      },
      cainjector: { resources: small },
      // Flux waits for the release to be Ready; the API check job adds a pod and a hook, not safety.
      startupapicheck: { enabled: false },
    };
  },
  singletons: {
    "cert-manager": "leader-elected controller; certificates renew days ahead",
    "cert-manager-cainjector": "leader-elected; re-injects CA bundles on restart",
  },
  connections: certManagerConnections,
  metrics: () => [
    scrape(
      "cert-manager",
      pods(CERT_MANAGER_NAMESPACE, { "app.kubernetes.io/instance": "cert-manager" }, "cert-manager"),
      9402,
    ),
  ],
  operates: [
    { kind: "cert-manager.io/Certificate", creates: { noPods: "a key pair and certificate in a Secret" } },
    ...["Issuer", "ClusterIssuer"].map((kind) => ({
      kind: `cert-manager.io/${kind}`,
      creates: { noPods: "signatures for Certificates" },
      cannotProve: (resource: CustomResource) =>
        (resource.spec as { acme?: unknown } | undefined)?.acme
          ? "an ACME issuer's HTTP-01 solvers run pods the proof does not model"
          : undefined,
    })),
  ],
};
