import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1";
import { Cluster as PostgresCluster } from "../imports/cnpg-cluster-postgresql.cnpg.io.ts";
import { Keycloak } from "../imports/keycloak-k8s.keycloak.org.ts";
import { KeycloakRealmImport } from "../imports/keycloak-realmimport-k8s.keycloak.org.ts";
import { Layer } from "../lib/flux/layers.ts";
import { MirroredManifests } from "../lib/flux/mirrored-manifests.ts";
import { mirror } from "../lib/images.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { homeOf, KEYCLOAK_NAMESPACE, KEYCLOAK_REALM } from "../lib/platform.ts";
import { POSTGIS_IMAGE } from "./data.ts";
import { OIDC_CLIENT_ID } from "./rbac.ts";

export const KEYCLOAK_IMAGE = "quay.io/keycloak/keycloak:26.4.2";
export const KEYCLOAK_OPERATOR = {
  name: "keycloak-operator",
  repository: "keycloak-k8s-resources",
  tag: "26.0.0",
  path: "./kubernetes",
  prune: false,
  targetNamespace: KEYCLOAK_NAMESPACE,
} as const;

/**
 * Keycloak on the identity home (on-prem), through its operator (no Bitnami): the operator and its
 * CRDs from a pinned Gitea mirror, a Keycloak with its own CloudNativePG database, and the realm
 * every cluster's API server trusts (see host-config/ and the README).
 */
export class IdentityChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "identity", { disableResourceNameHashes: true });
    if (homeOf(estate, "identity") !== cluster) return;
    new MirroredManifests(Layer.in(this, "entry"), cluster, KEYCLOAK_OPERATOR);
    const apps = Layer.in(this, "apps");
    addModel(
      apps,
      new Namespace({
        metadata: {
          name: KEYCLOAK_NAMESPACE,
          labels: { "pod-security.kubernetes.io/enforce": "restricted" },
        },
      }),
    );
    new PostgresCluster(apps, "keycloak-db", {
      metadata: { name: "keycloak-db", namespace: KEYCLOAK_NAMESPACE },
      spec: {
        instances: 2,
        imageName: mirror(cluster, POSTGIS_IMAGE),
        storage: { size: "10Gi" },
        bootstrap: { initdb: { database: "keycloak", owner: "keycloak" } },
      },
    });
    new Keycloak(apps, "keycloak", {
      metadata: { name: "keycloak", namespace: KEYCLOAK_NAMESPACE },
      spec: {
        instances: 2,
        image: mirror(cluster, KEYCLOAK_IMAGE),
        db: {
          vendor: "postgres",
          host: "keycloak-db-rw",
          database: "keycloak",
          // Created by CloudNativePG for the database owner; never in Git.
          usernameSecret: { name: "keycloak-db-app", key: "username" },
          passwordSecret: { name: "keycloak-db-app", key: "password" },
        },
        hostname: { hostname: `sso.${cluster.dns.domain}` },
        http: { tlsSecret: "keycloak-tls" },
        proxy: { headers: "xforwarded" },
      },
    });
    new KeycloakRealmImport(apps, "realm", {
      metadata: { name: KEYCLOAK_REALM, namespace: KEYCLOAK_NAMESPACE },
      spec: {
        keycloakCrName: "keycloak",
        realm: {
          realm: KEYCLOAK_REALM,
          enabled: true,
          groups: [{ name: "developers" }, { name: "platform" }],
          clients: [
            {
              clientId: OIDC_CLIENT_ID,
              publicClient: true,
              standardFlowEnabled: true,
              redirectUris: ["http://localhost:8000", "http://localhost:18000"],
              protocolMappers: [
                {
                  name: "groups",
                  protocol: "openid-connect",
                  protocolMapper: "oidc-group-membership-mapper",
                  config: {
                    "claim.name": "groups",
                    "full.path": "false",
                    "id.token.claim": "true",
                    "access.token.claim": "true",
                  },
                },
              ],
            },
          ],
        },
      },
    });
  }
}
