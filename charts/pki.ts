import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { ClusterIssuer } from "../imports/cert-manager-clusterissuer-cert-manager.io.ts";
import { CHART_PINS } from "../lib/flux/chart-pins.ts";
import { HelmComponent } from "../lib/flux/helm-component.ts";
import { Layer } from "../lib/flux/layers.ts";
import { gatewayAddress, gatewayOf } from "../lib/gateways/topology.ts";
import { mirror } from "../lib/images.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import { resources } from "../lib/k8s/pod-defaults.ts";
import { localCa, serverCertificate } from "../lib/pki/certificates.ts";
import { CERT_MANAGER_NAMESPACE } from "../lib/platform.ts";
import { GATEWAY_TLS_SECRET } from "./gateways.ts";

/**
 * Certificates: cert-manager (controllers layer) and a ClusterIssuer (configs layer) signing with the
 * issuing CA the PKI team provides, or with the cluster's own CA where its certificates are verified
 * only inside it (`pki.clusterCaCertificate`). An internal gateway's
 * certificate is issued here; Keycloak's and PostgreSQL's beside their workloads. The public
 * gateway's certificate comes from a public CA (citizens' browsers do not trust ours).
 */
export class PkiChart extends Chart {
  constructor(scope: Construct, cluster: Cluster) {
    super(scope, "pki", { disableResourceNameHashes: true });
    const small = resources(["50m", "500m"], ["64Mi", "256Mi"]);
    new HelmComponent(Layer.in(this, "controllers"), cluster, {
      name: "cert-manager",
      namespace: CERT_MANAGER_NAMESPACE,
      chart: CHART_PINS.certManager,
      values: {
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
      },
    });

    const configs = Layer.in(this, "configs");
    // The key of one CA only: the organisation's issuing CA, or the cluster's own where it has one.
    const ca = localCa(cluster);
    new ClusterIssuer(configs, ca.issuer, {
      metadata: { name: ca.issuer },
      spec: { ca: { secretName: ca.keyPair } },
    });
    const gateway = gatewayOf(cluster);
    // People's browsers and the other clusters verify an internal gateway.
    if (!gateway.public)
      serverCertificate(configs, cluster, {
        verifiedBy: "estate",
        secretName: GATEWAY_TLS_SECRET,
        namespace: gateway.namespace,
        dnsNames: [`*.${cluster.dns.domain}`, gatewayAddress(cluster)],
      });
  }
}
