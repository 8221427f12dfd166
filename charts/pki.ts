import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { ClusterIssuer } from "../imports/cert-manager-clusterissuer-cert-manager.io.ts";
import { Layer } from "../lib/flux/layers.ts";
import { gatewayAddress, gatewayOf } from "../lib/gateways/topology.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import { localCa, serverCertificate } from "../lib/pki/certificates.ts";
import { GATEWAY_TLS_SECRET } from "./gateways.ts";

/**
 * Certificates: cert-manager (charts/components/cert-manager.ts) and a ClusterIssuer (configs layer) signing with the
 * issuing CA the PKI team provides, or with the cluster's own CA where its certificates are verified
 * only inside it (`pki.clusterCaCertificate`). An internal gateway's
 * certificate is issued here; Keycloak's and PostgreSQL's beside their workloads. The public
 * gateway's certificate comes from a public CA (citizens' browsers do not trust ours).
 */
export class PkiChart extends Chart {
  constructor(scope: Construct, cluster: Cluster) {
    super(scope, "pki", { disableResourceNameHashes: true });
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
