import type { Construct } from "constructs";
import { Secret } from "kubernetes-models/v1/Secret";
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
} from "../../imports/cert-manager-certificate-cert-manager.io.ts";
import { EstateError } from "../errors.ts";
import type { Cluster } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";

/** The ClusterIssuer that signs with the organisation's CA (its key is provided out of band). */
export const ORG_CA_ISSUER = "org-ca";
/** The issuing CA's certificate and key (`tls.crt`, `tls.key`) in the cert-manager namespace. */
export const ORG_CA_KEY_PAIR = "org-ca-key-pair";
/** A Secret with only the organisation's public CA certificate (`ca.crt`), for clients that verify. */
export const ORG_CA_BUNDLE = "org-ca";
export const CA_BUNDLE_KEY = "ca.crt";
/** A cluster's own CA certificate and key, where it has one (`pki.clusterCaCertificate`). */
export const CLUSTER_CA_KEY_PAIR = "cluster-ca-key-pair";

/** A certificate authority a cluster issues with or trusts: its issuer, key pair and public bundle. */
export interface CertificateAuthority {
  /** The ClusterIssuer that signs with it. */
  readonly issuer: string;
  /** The Secret with its certificate and key, in the cert-manager namespace, where it issues. */
  readonly keyPair: string;
  /** The Secret with only its certificate (`ca.crt`), in each namespace whose clients verify with it. */
  readonly bundle: string;
  readonly pem: string;
}

export function organisationCa(cluster: Cluster): CertificateAuthority {
  return {
    issuer: ORG_CA_ISSUER,
    keyPair: ORG_CA_KEY_PAIR,
    bundle: ORG_CA_BUNDLE,
    pem: cluster.pki.caCertificatePem,
  };
}

/**
 * The CA that signs what is verified only inside this cluster: its own (`pki.clusterCaCertificate`)
 * where it has one, otherwise the organisation's. A cluster holds the key of exactly this CA.
 */
export function localCa(cluster: Cluster): CertificateAuthority {
  const own = cluster.pki.clusterCa;
  if (!own) return organisationCa(cluster);
  return { issuer: "cluster-ca", keyPair: CLUSTER_CA_KEY_PAIR, bundle: "cluster-ca", pem: own.pem };
}

/** Who verifies a server's certificate: clients in its own cluster only, or anyone in the estate. */
export type VerifiedBy = "cluster" | "estate";

/**
 * A server certificate, renewed by cert-manager into `secretName` (`tls.crt`, `tls.key` and the
 * issuing CA's `ca.crt`). One verified outside the cluster comes from the organisation's CA, which a
 * cluster with a CA of its own does not hold: that is refused, naming the certificate.
 */
export function serverCertificate(
  scope: Construct,
  cluster: Cluster,
  props: { secretName: string; namespace: string; dnsNames: readonly string[]; verifiedBy: VerifiedBy },
): void {
  const ca = props.verifiedBy === "estate" ? organisationCa(cluster) : localCa(cluster);
  if (ca.issuer !== localCa(cluster).issuer)
    throw new EstateError([
      {
        file: cluster.source,
        cluster: cluster.name,
        field: "pki.clusterCaCertificate",
        rule: "ca-key-placement",
        message: `certificate ${props.namespace}/${props.secretName} is verified outside the cluster and must come from the organisation's CA, whose key a cluster with a CA of its own does not hold`,
      },
    ]);
  new Certificate(scope, `certificate-${props.namespace}-${props.secretName}`, {
    metadata: { name: props.secretName, namespace: props.namespace },
    spec: {
      secretName: props.secretName,
      issuerRef: { kind: "ClusterIssuer", name: ca.issuer, group: "cert-manager.io" },
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
 * A CA's certificate as a Secret (CloudNativePG takes a root certificate only from a Secret): the
 * organisation's unless another is named. It holds public material only, rendered from the
 * inventory's `pki`; the secrets check accepts exactly this shape in plain text (lib/secrets/public.ts).
 */
export function caBundleSecret(
  scope: Construct,
  cluster: Cluster,
  namespace: string,
  ca: CertificateAuthority = organisationCa(cluster),
): void {
  addModel(
    scope,
    new Secret({
      metadata: { name: ca.bundle, namespace, labels: { "waterschap.example/public-ca": "true" } },
      type: "Opaque",
      stringData: { [CA_BUNDLE_KEY]: ca.pem },
    }),
  );
}
