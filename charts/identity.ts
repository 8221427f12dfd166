import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1";
import { stringify } from "yaml";
import { Cluster as PostgresCluster } from "../imports/cnpg-cluster-postgresql.cnpg.io.ts";
import {
  Keycloak,
  KeycloakSpecResourcesLimits,
  KeycloakSpecResourcesRequests,
} from "../imports/keycloak-k8s.keycloak.org.ts";
import { KeycloakRealmImport } from "../imports/keycloak-realmimport-k8s.keycloak.org.ts";
import { Layer } from "../lib/flux/layers.ts";
import { MirroredManifests } from "../lib/flux/mirrored-manifests.ts";
import { mirror } from "../lib/images.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import {
  type Resources,
  resources,
  restrictedContainer,
  restrictedPod,
  typedResources,
} from "../lib/k8s/pod-defaults.ts";
import { homeOf, KEYCLOAK_NAMESPACE, KEYCLOAK_REALM } from "../lib/platform.ts";
import { cnpgResources, POSTGIS_IMAGE } from "./data.ts";
import { OIDC_CLIENT_ID } from "./rbac.ts";

const keycloakResources = (value: Resources) =>
  typedResources(value, KeycloakSpecResourcesRequests.fromString, KeycloakSpecResourcesLimits.fromString);

/**
 * One version for Keycloak and its operator (the operator supports its own Keycloak release): the
 * operator's manifests come from the Gitea mirror of keycloak-k8s-resources at this tag, vendored in
 * vendor/manifests/ so validate can judge its pod.
 */
/** The Flux Kustomization that applies the Keycloak operator and its CRDs (the apps layer waits for it). */
export const KEYCLOAK_OPERATOR_SYNC = "keycloak-operator";

export const KEYCLOAK_VERSION = "26.0.0";
export const KEYCLOAK_IMAGE = `quay.io/keycloak/keycloak:${KEYCLOAK_VERSION}`;
const KEYCLOAK_OPERATOR_IMAGE = "quay.io/keycloak/keycloak-operator";

function keycloakOperator(cluster: Cluster) {
  // The upstream Deployment sets no security context and defaults to Keycloak from quay.io.
  const patch = stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "keycloak-operator" },
    spec: {
      template: {
        spec: {
          securityContext: restrictedPod(),
          containers: [
            {
              name: "keycloak-operator",
              securityContext: restrictedContainer(),
              env: [{ name: "RELATED_IMAGE_KEYCLOAK", value: mirror(cluster, KEYCLOAK_IMAGE) }],
            },
          ],
        },
      },
    },
  });
  return {
    name: KEYCLOAK_OPERATOR_SYNC,
    repository: "keycloak-k8s-resources",
    tag: KEYCLOAK_VERSION,
    path: "./kubernetes",
    prune: false,
    targetNamespace: KEYCLOAK_NAMESPACE,
    images: [{ name: KEYCLOAK_OPERATOR_IMAGE, newName: mirror(cluster, KEYCLOAK_OPERATOR_IMAGE) }],
    patches: [{ patch, target: { kind: "Deployment", name: "keycloak-operator" } }],
  };
}

/**
 * Keycloak on the identity home (on-prem), through its operator (no Bitnami): the operator and its
 * CRDs from a pinned Gitea mirror, a Keycloak with its own CloudNativePG database, and the realm
 * every cluster's API server trusts (see host-config/ and the README).
 */
export class IdentityChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "identity", { disableResourceNameHashes: true });
    if (homeOf(estate, "identity") !== cluster) return;
    new MirroredManifests(Layer.in(this, "entry"), cluster, keycloakOperator(cluster));
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
        resources: cnpgResources(resources(["250m", "1"], ["512Mi", "1Gi"])),
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
        resources: keycloakResources(resources(["500m", "2"], ["1700Mi", "2Gi"])),
        // The operator sets no security context on Kubernetes; Pod Security `restricted` needs one.
        // Keycloak writes its build and caches under /opt/keycloak, so the root stays writable.
        unsupported: {
          podTemplate: {
            spec: {
              securityContext: restrictedPod(),
              containers: [{ securityContext: restrictedContainer(false) }],
            },
          },
        },
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
