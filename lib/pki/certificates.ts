import type { Construct } from "constructs";
import { Secret } from "kubernetes-models/v1/Secret";
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
} from "../../imports/cert-manager-certificate-cert-manager.io.ts";
import type { Cluster } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";

export const CERT_MANAGER_NAMESPACE = "cert-manager";
/** The ClusterIssuer that signs with the organisation's CA (its key is provided out of band). */
export const ORG_CA_ISSUER = "org-ca";
/** The issuing CA's certificate and key (`tls.crt`, `tls.key`) in the cert-manager namespace. */
export const ORG_CA_KEY_PAIR = "org-ca-key-pair";
/** A Secret with only the organisation's public CA certificate (`ca.crt`), for clients that verify. */
export const ORG_CA_BUNDLE = "org-ca";
export const CA_BUNDLE_KEY = "ca.crt";

/**
 * A server certificate from the organisation's CA, renewed by cert-manager into `secretName`
 * (`tls.crt`, `tls.key` and the issuing CA's `ca.crt`).
 */
export function orgCertificate(
  scope: Construct,
  props: { secretName: string; namespace: string; dnsNames: readonly string[] },
): void {
  new Certificate(scope, `certificate-${props.namespace}-${props.secretName}`, {
    metadata: { name: props.secretName, namespace: props.namespace },
    spec: {
      secretName: props.secretName,
      issuerRef: { kind: "ClusterIssuer", name: ORG_CA_ISSUER, group: "cert-manager.io" },
      dnsNames: [...props.dnsNames],
      duration: "2160h",
      renewBefore: "360h",
      privateKey: {
        algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
        size: 256,
        rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
      },
    },
  });
}

/**
 * The organisation's CA certificate as a Secret (CloudNativePG takes a root certificate only from a
 * Secret). It holds public material only, rendered from the inventory's `pki.caCertificate`; the
 * secrets check accepts exactly this shape in plain text (lib/secrets/public.ts).
 */
export function caBundleSecret(scope: Construct, cluster: Cluster, namespace: string): void {
  addModel(
    scope,
    new Secret({
      metadata: { name: ORG_CA_BUNDLE, namespace, labels: { "waterschap.example/public-ca": "true" } },
      type: "Opaque",
      stringData: { [CA_BUNDLE_KEY]: cluster.pki.caCertificatePem },
    }),
  );
}
