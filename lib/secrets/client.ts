import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  aclCredentialName,
  CLIENT_SECRET_KEY,
  clientSecretName,
  jwtCredentialName,
  oidcClients,
  protectedServices,
  publicClients,
  signInClients,
} from "../identity/clients.ts";
import { REALM_PUBLIC_KEY } from "../identity/realm.ts";
import type { Estate } from "../inventory/model.ts";
import { homeOf, KEYCLOAK_NAMESPACE, KONG_NAMESPACE } from "../platform.ts";
import { writeSecret } from "./write.ts";

/**
 * Everything one OIDC caller needs, as SOPS files: for a workload's client a new client secret, both
 * on the identity home (the realm import reads it) and in the caller's namespace (a public client has
 * none); and, on each cluster whose gateway protects a service it may call, its jwt credential (the
 * realm's public key, keys/) and one acl credential per group. Running it again rotates the secret.
 */
export async function writeClientSecrets(root: string, estate: Estate, clientId: string): Promise<string[]> {
  const caller =
    oidcClients(estate).get(clientId) ?? signInClients(estate).find((c) => c.clientId === clientId);
  const isPublic = publicClients(estate).includes(clientId);
  if (!caller && !isPublic) {
    const known = [
      ...oidcClients(estate).keys(),
      ...publicClients(estate),
      ...signInClients(estate).map((c) => c.clientId),
    ]
      .sort()
      .join(", ");
    throw new Error(`"${clientId}" is no client of the realm (clients: ${known})`);
  }
  const files: string[] = [];
  if (caller) {
    const data = { [CLIENT_SECRET_KEY]: randomBytes(32).toString("base64url") };
    const name = clientSecretName(clientId);
    const identity = homeOf(estate, "identity");
    files.push(
      await writeSecret(root, identity, { namespace: KEYCLOAK_NAMESPACE, name }, { data }),
      await writeSecret(root, caller.cluster, { namespace: caller.namespace, name }, { data }),
    );
  }
  const publicKey = readFileSync(join(root, REALM_PUBLIC_KEY), "utf8");
  for (const service of protectedServices(estate)) {
    if (!service.callers.some((c) => c.clientId === clientId) && !service.publicClients.includes(clientId))
      continue;
    files.push(
      await writeSecret(
        root,
        service.cluster,
        { namespace: KONG_NAMESPACE, name: jwtCredentialName(clientId) },
        {
          data: { key: clientId, algorithm: "RS256", rsa_public_key: publicKey },
          labels: { "konghq.com/credential": "jwt" },
        },
      ),
      await writeSecret(
        root,
        service.cluster,
        { namespace: KONG_NAMESPACE, name: aclCredentialName(clientId, service.group) },
        { data: { group: service.group }, labels: { "konghq.com/credential": "acl" } },
      ),
    );
  }
  return [...new Set(files)];
}
