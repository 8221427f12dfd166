import type { Construct } from "constructs";
import { KongConsumer } from "../../imports/kong-consumer-configuration.konghq.com.ts";
import { KongPlugin } from "../../imports/kong-plugin-configuration.konghq.com.ts";
import {
  aclCredentialName,
  jwtCredentialName,
  type OidcCaller,
  protectedServices,
} from "../identity/clients.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { KONG_NAMESPACE, keycloakIssuer } from "../platform.ts";

/** The Kong plugin that validates Keycloak tokens on a protected route (one per namespace). */
export const JWT_PLUGIN = "keycloak-jwt";
/** Loki's tenant header: set by the gateway from the caller's identity, never trusted from the caller. */
export const TENANT_HEADER = "X-Scope-OrgID";
/** The annotation that hands a Kong resource to this cluster's controller. */
export const KONG_CLASS = { "kubernetes.io/ingress.class": "kong" } as const;

/**
 * The protected services behind this cluster's gateway (lib/identity/clients.ts): per namespace the
 * `jwt` plugin, per service an `acl` plugin allowing its callers' group, and one KongConsumer per
 * calling client, workload or public (in the gateway's namespace) with its jwt credential (key = client id, the realm's
 * public key) and an acl credential per group. Credentials are SOPS-encrypted Secrets in the kong
 * namespace. Other clusters' telemetry agents also get their Loki tenant stamped by the gateway.
 */
export function jwtConsumers(scope: Construct, cluster: Cluster, estate: Estate): void {
  const services = protectedServices(estate).filter((s) => s.cluster === cluster);
  const consumers = new Map<string, { caller?: OidcCaller; credentials: string[] }>();
  const jwtIn = new Set<string>();
  const consumer = (clientId: string, group: string, caller?: OidcCaller) => {
    const entry = consumers.get(clientId) ?? { caller, credentials: [jwtCredentialName(clientId)] };
    entry.credentials.push(aclCredentialName(clientId, group));
    consumers.set(clientId, entry);
  };
  for (const { namespace, group, callers, publicClients } of services) {
    if (!jwtIn.has(namespace)) {
      jwtIn.add(namespace);
      new KongPlugin(scope, `${namespace}-jwt`, {
        metadata: { name: JWT_PLUGIN, namespace, annotations: KONG_CLASS },
        plugin: "jwt",
        // The credential is looked up by the client the token was issued to, not by the issuer:
        // any client of the realm can get a token, only the service's callers have a credential.
        config: { key_claim_name: "azp", claims_to_verify: ["exp"], maximum_expiration: 3600 },
      });
    }
    new KongPlugin(scope, `${namespace}-${group}`, {
      metadata: { name: group, namespace, annotations: KONG_CLASS },
      plugin: "acl",
      config: { allow: [group], hide_groups_header: true },
    });
    for (const caller of callers) consumer(caller.clientId, group, caller);
    for (const clientId of publicClients) consumer(clientId, group);
  }
  for (const [id, { caller, credentials }] of [...consumers].sort(([a], [b]) => a.localeCompare(b))) {
    const tenant = caller?.tenant;
    const tenantPlugin = tenant ? `tenant-${tenant}` : undefined;
    if (tenantPlugin)
      new KongPlugin(scope, `consumer-${id}-tenant`, {
        metadata: { name: tenantPlugin, namespace: KONG_NAMESPACE, annotations: KONG_CLASS },
        plugin: "request-transformer",
        // Whatever tenant the caller sent is replaced by the one its identity stands for.
        config: {
          remove: { headers: [TENANT_HEADER] },
          add: { headers: [`${TENANT_HEADER}:${tenant}`] },
        },
      });
    new KongConsumer(scope, `consumer-${id}`, {
      metadata: {
        name: id,
        namespace: KONG_NAMESPACE,
        annotations: {
          ...KONG_CLASS,
          ...(tenantPlugin ? { "konghq.com/plugins": tenantPlugin } : {}),
          "waterschap.example/issuer": keycloakIssuer(estate),
        },
      },
      username: id,
      credentials,
    });
  }
}
