import { FLUX_NAMESPACE } from "../flux/constants.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import { KEYCLOAK_NAMESPACE } from "../platform.ts";

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
    namespace: "kong",
    name: "gateway-tls",
    owner: "PKI team",
    why: "the gateway's certificate for *.<cluster domain>, issued by the organisation's CA",
  },
  {
    namespace: KEYCLOAK_NAMESPACE,
    name: "keycloak-tls",
    owner: "PKI team",
    why: "Keycloak's certificate for sso.<domain>, issued by the organisation's CA (the CA is in the API servers' authentication config)",
  },
  {
    namespace: "legacy",
    name: "keycloak-jwt-credential",
    owner: "identity team",
    why: "the realm's public signing key as a Kong jwt credential, exported from Keycloak after its first start",
  },
];

/** Secrets the operators create from their custom resources, as `namespace/name`. */
export function operatorMadeSecrets(objects: readonly HydratedObject[]): Set<string> {
  const made = new Set<string>();
  for (const { manifest } of objects) {
    const namespace = manifest.metadata?.namespace;
    const name = manifest.metadata?.name;
    if (manifest.kind === "Cluster" && manifest.apiVersion === "postgresql.cnpg.io/v1")
      for (const suffix of ["app", "superuser", "ca", "server", "replication"])
        made.add(`${namespace}/${name}-${suffix}`);
    if (manifest.kind === "Keycloak") made.add(`${namespace}/${name}-initial-admin`);
    if (manifest.kind === "Deployment" && name === "cloudnative-pg")
      made.add(`${namespace}/cnpg-webhook-cert`);
  }
  return made;
}
