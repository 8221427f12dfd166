import { type ApiObject, JsonPatch } from "cdk8s";
import type { Placement } from "../inventory/model.ts";
import { CA_BUNDLE_KEY, ORG_CA_BUNDLE } from "../pki/certificates.ts";

const ORG_CA_PATH = "/etc/org-ca";

/**
 * Whether a workload calls a service whose certificate the organisation's CA issued: another
 * cluster's gateway through the tunnel (`gatewayOf` endpoints), or Keycloak for its OIDC token.
 */
export function callsOrgService(placement: Placement, hasOidcClient: boolean): boolean {
  return (
    hasOidcClient || placement.workload.egress.some((e) => placement.cluster.externalEndpoints[e]?.gatewayOf)
  );
}

/**
 * Such a workload trusts the organisation's CA: the namespace's CA bundle mounted at /etc/org-ca, its
 * path in `ORG_CA_FILE` for the application's HTTP
 * client, and in `NODE_EXTRA_CA_CERTS`, which adds to (never replaces) a Node runtime's trust store.
 */
export function addOrgCaTrust(deployment: ApiObject): void {
  const file = `${ORG_CA_PATH}/${CA_BUNDLE_KEY}`;
  deployment.addJsonPatch(
    JsonPatch.add("/spec/template/spec/containers/0/env/-", { name: "ORG_CA_FILE", value: file }),
    JsonPatch.add("/spec/template/spec/containers/0/env/-", { name: "NODE_EXTRA_CA_CERTS", value: file }),
    JsonPatch.add("/spec/template/spec/volumes/-", { name: "org-ca", secret: { secretName: ORG_CA_BUNDLE } }),
    JsonPatch.add("/spec/template/spec/containers/0/volumeMounts/-", {
      name: "org-ca",
      mountPath: ORG_CA_PATH,
      readOnly: true,
    }),
  );
}
