import {
  authenticationConfiguration,
  OIDC_CLIENT_ID,
  OIDC_GROUP_PREFIX,
} from "../identity/authentication.ts";
import type { Estate } from "../inventory/model.ts";
import { toYaml } from "../k8s/yaml.ts";
import { homeOf, keycloakIssuer } from "../platform.ts";

/** Files for the clusters' control-plane nodes, outside every Flux path: how each API server trusts Keycloak. */
export const HOST_CONFIG_DIR = "dist/host-config";

export function hostConfigFiles(estate: Estate): Map<string, string> {
  const issuer = keycloakIssuer(estate);
  // sso.<domain> is served by the identity home's gateway, with a certificate from that cluster's CA.
  const ca = homeOf(estate, "identity").pki.caCertificatePem;
  return new Map(
    estate.clusters.map((c) => [
      `${HOST_CONFIG_DIR}/${c.name}/authentication-config.yaml`,
      toYaml(authenticationConfiguration(issuer, OIDC_CLIENT_ID, OIDC_GROUP_PREFIX, ca)),
    ]),
  );
}
