import type { KeycloakRealmImportSpec } from "../../imports/keycloak-realmimport-k8s.keycloak.org.ts";
import type { Estate } from "../inventory/model.ts";
import { KEYCLOAK_REALM } from "../platform.ts";
import { CLIENT_SECRET_KEY, clientSecretName, oidcClients, publicClients, signInClients } from "./clients.ts";

/** The public half of the realm's signing key, which the gateways' jwt credentials carry. */
export const REALM_PUBLIC_KEY = "keys/realm-signing.pub";
/** The realm's RS256 signing key (`private-key`, PEM), SOPS-encrypted in the identity namespace. */
export const REALM_SIGNING_KEY_SECRET = "realm-signing-key";
const SIGNING_KEY_PLACEHOLDER = "REALM_SIGNING_KEY";

/** `cloud-agents` -> `CLIENT_SECRET_CLOUD_AGENTS`: the placeholder the import replaces from a Secret. */
const placeholderOf = (clientId: string) => `CLIENT_SECRET_${clientId.toUpperCase().replace(/-/g, "_")}`;

const groupsMapper = {
  name: "groups",
  protocol: "openid-connect",
  protocolMapper: "oidc-group-membership-mapper",
  config: {
    "claim.name": "groups",
    "full.path": "false",
    "id.token.claim": "true",
    "access.token.claim": "true",
  },
};

/**
 * The estate's realm: groups, the public client kubectl signs in with, the public clients of routes
 * (device authorization grant), one confidential client per calling workload (client credentials
 * only), and the signing key, supplied so that the gateways' jwt credentials can carry its public
 * half from day 1. Secrets reach the import as placeholders.
 */
export function realmImport(
  estate: Pick<Estate, "clusters" | "placements">,
  cliClientId: string,
): Omit<KeycloakRealmImportSpec, "keycloakCrName"> {
  const clients = [...oidcClients(estate).keys(), ...signInClients(estate).map((c) => c.clientId)];
  return {
    placeholders: {
      [SIGNING_KEY_PLACEHOLDER]: { secret: { name: REALM_SIGNING_KEY_SECRET, key: "private-key" } },
      ...Object.fromEntries(
        clients.map((id) => [
          placeholderOf(id),
          { secret: { name: clientSecretName(id), key: CLIENT_SECRET_KEY } },
        ]),
      ),
    },
    realm: {
      realm: KEYCLOAK_REALM,
      enabled: true,
      groups: [{ name: "developers" }, { name: "platform" }],
      components: { "org.keycloak.keys.KeyProvider": [SIGNING_KEY_PROVIDER] },
      clients: realmClients(estate, cliClientId, clients),
    },
  };
}

/** The realm's RS256 key, its private half from a SOPS Secret through a placeholder. */
const SIGNING_KEY_PROVIDER = {
  name: "estate-signing-key",
  providerId: "rsa",
  config: {
    priority: ["200"],
    enabled: ["true"],
    active: ["true"],
    algorithm: ["RS256"],
    keyUse: ["SIG"],
    privateKey: [`\${${SIGNING_KEY_PLACEHOLDER}}`],
  },
};

function realmClients(
  estate: Pick<Estate, "clusters" | "placements">,
  cliClientId: string,
  confidential: readonly string[],
) {
  const signIn = signInClients(estate);
  return [
    {
      clientId: cliClientId,
      publicClient: true,
      standardFlowEnabled: true,
      redirectUris: ["http://localhost:8000", "http://localhost:18000"],
      protocolMappers: [groupsMapper],
    },
    // People and their tools (an uploader's CLI): sign in on a device, no secret to keep.
    ...publicClients(estate).map((clientId) => ({
      clientId,
      publicClient: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: false,
      attributes: { "oauth2.device.authorization.grant.enabled": "true" },
      protocolMappers: [groupsMapper],
    })),
    ...confidential
      .filter((clientId) => !signIn.some((c) => c.clientId === clientId))
      .map((clientId) => ({
        clientId,
        publicClient: false,
        clientAuthenticatorType: "client-secret",
        secret: `\${${placeholderOf(clientId)}}`,
        serviceAccountsEnabled: true,
        standardFlowEnabled: false,
        directAccessGrantsEnabled: false,
      })),
    // Web applications people sign in to: the authorization code flow back to their own address.
    ...signIn.map((c) => ({
      clientId: c.clientId,
      publicClient: false,
      clientAuthenticatorType: "client-secret",
      secret: `\${${placeholderOf(c.clientId)}}`,
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
      redirectUris: [...c.redirectUris],
      protocolMappers: [groupsMapper],
    })),
  ];
}
