import type { HydratedObject } from "../hydrate/index.ts";
import { CLUSTER_CA_KEY_PAIR, ORG_CA_KEY_PAIR } from "../pki/certificates.ts";
import { CERT_MANAGER_NAMESPACE, FLUX_NAMESPACE } from "../platform.ts";

/** A Secret nobody renders: put in place by a named owner, outside Git, before Flux needs it. */
export interface OutOfBandSecret {
  readonly namespace: string;
  readonly name: string;
  readonly owner: string;
  readonly why: string;
}

/**
 * The Secrets that exist on a cluster before or beside Git, each with its owner. Everything else a
 * manifest references must be rendered (SOPS-encrypted under secrets/, or by a chart) or made by an
 * operator; `npm run validate` fails on a reference with none of these sources.
 */
export const OUT_OF_BAND_SECRETS: readonly OutOfBandSecret[] = [
  {
    namespace: FLUX_NAMESPACE,
    name: "sops-age",
    owner: "platform team",
    why: "the cluster's age private key (key `age.agekey`), which decrypts the SOPS files; created at bootstrap, never in Git",
  },
  {
    namespace: FLUX_NAMESPACE,
    name: "flux-system",
    owner: "platform team",
    why: "Gitea read-only deploy token of the estate repository and the mirrors, created at bootstrap",
  },
  {
    namespace: FLUX_NAMESPACE,
    name: "gitea-commit-status",
    owner: "platform team",
    why: "Gitea API token with which Flux reports reconciliation status on commits",
  },
  {
    namespace: CERT_MANAGER_NAMESPACE,
    name: ORG_CA_KEY_PAIR,
    owner: "PKI team",
    why: "the issuing CA (tls.crt, tls.key) under the organisation's root (keys/org-ca.crt) that cert-manager signs the internal certificates with; never in Git",
  },
  {
    namespace: CERT_MANAGER_NAMESPACE,
    name: CLUSTER_CA_KEY_PAIR,
    owner: "platform team",
    why: "on a cluster with a CA of its own (pki.clusterCaCertificate) instead of org-ca-key-pair: that CA's certificate and key (tls.crt, tls.key), made at bootstrap; never in Git",
  },
  {
    namespace: "kong",
    name: "gateway-tls",
    owner: "PKI team",
    why: "on public gateways only: the certificate for *.<cluster domain> from a public CA, which citizens' browsers trust (internal gateways get theirs from cert-manager)",
  },
];

/** Secrets the operators create (cert-manager included: a Certificate's `secretName`) from their custom resources, as `namespace/name`. */
export function operatorMadeSecrets(objects: readonly HydratedObject[]): Set<string> {
  const made = new Set<string>();
  for (const { manifest } of objects) {
    const namespace = manifest.metadata?.namespace;
    const name = manifest.metadata?.name;
    if (manifest.kind === "Cluster" && manifest.apiVersion === "postgresql.cnpg.io/v1")
      for (const suffix of ["app", "superuser", "ca", "server", "replication"])
        made.add(`${namespace}/${name}-${suffix}`);
    if (manifest.kind === "Keycloak") made.add(`${namespace}/${name}-initial-admin`);
    if (manifest.kind === "Certificate" && manifest.apiVersion === "cert-manager.io/v1")
      made.add(`${namespace}/${(manifest.spec as { secretName?: string })?.secretName}`);
    if (manifest.kind === "Deployment" && name === "cloudnative-pg")
      made.add(`${namespace}/cnpg-webhook-cert`);
  }
  return made;
}
