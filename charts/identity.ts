import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { stringify } from "yaml";
import { Cluster as PostgresCluster } from "../imports/cnpg-cluster-postgresql.cnpg.io.ts";
import {
  Keycloak,
  KeycloakSpecResourcesLimits,
  KeycloakSpecResourcesRequests,
} from "../imports/keycloak-k8s.keycloak.org.ts";
import {
  KeycloakRealmImport,
  KeycloakRealmImportSpecResourcesLimits,
  KeycloakRealmImportSpecResourcesRequests,
} from "../imports/keycloak-realmimport-k8s.keycloak.org.ts";
import { barmanBackups } from "../lib/data/backups.ts";
import { Layer } from "../lib/flux/layers.ts";
import { MirroredManifests } from "../lib/flux/mirrored-manifests.ts";
import { datacenterRoute, tunnelSources } from "../lib/gateways/tunnel.ts";
import { OIDC_CLIENT_ID } from "../lib/identity/authentication.ts";
import { realmImport } from "../lib/identity/realm.ts";
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
import { podSecurityOf } from "../lib/namespaces/registry.ts";
import { caBundleSecret, serverCertificate } from "../lib/pki/certificates.ts";
import { homeOf, KEYCLOAK_NAMESPACE, KEYCLOAK_REALM } from "../lib/platform.ts";
import { cnpgResources, POSTGIS_IMAGE } from "./data.ts";

const KEYCLOAK_RESOURCES = resources(["500m", "2"], ["1700Mi", "2Gi"]);
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
    upstream: "https://github.com/keycloak/keycloak-k8s-resources",
    tag: KEYCLOAK_VERSION,
    path: "./kubernetes",
    prune: false,
    targetNamespace: KEYCLOAK_NAMESPACE,
    // The upstream manifests create no Namespace: the controllers layer does (validate's apply order).
    dependsOn: ["controllers"],
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
      Layer.in(this, "controllers"),
      new Namespace({
        metadata: {
          name: KEYCLOAK_NAMESPACE,
          labels: { "pod-security.kubernetes.io/enforce": podSecurityOf(KEYCLOAK_NAMESPACE) },
        },
      }),
    );
    caBundleSecret(apps, cluster, KEYCLOAK_NAMESPACE);
    // Every cluster's API server and the gateways verify it.
    serverCertificate(apps, cluster, {
      verifiedBy: "estate",
      secretName: KEYCLOAK_TLS_SECRET,
      namespace: KEYCLOAK_NAMESPACE,
      dnsNames: [ssoHost(cluster), "keycloak-service", `keycloak-service.${KEYCLOAK_NAMESPACE}.svc`],
    });
    keycloakDatabase(apps, cluster);
    keycloak(apps, cluster);
    realm(apps, estate);
    keycloakOnGateway(apps, cluster, tunnelSources(cluster, estate.clusters));
  }
}

/** Keycloak's own CloudNativePG database, backed up to the other failure domain. */
function keycloakDatabase(apps: Construct, cluster: Cluster): void {
  new PostgresCluster(apps, "keycloak-db", {
    metadata: { name: "keycloak-db", namespace: KEYCLOAK_NAMESPACE },
    spec: {
      instances: 2,
      imageName: mirror(cluster, POSTGIS_IMAGE),
      storage: { size: "10Gi" },
      resources: cnpgResources(resources(["250m", "1"], ["512Mi", "1Gi"])),
      bootstrap: { initdb: { database: "keycloak", owner: "keycloak" } },
      plugins: barmanBackups(apps, cluster, {
        name: "keycloak-db",
        namespace: KEYCLOAK_NAMESPACE,
        schedule: "0 30 2 * * *",
      }),
    },
  });
}

/** Keycloak itself (operator CR), with the security context the operator does not set. */
function keycloak(apps: Construct, cluster: Cluster): void {
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
      hostname: { hostname: ssoHost(cluster) },
      http: { tlsSecret: KEYCLOAK_TLS_SECRET },
      proxy: { headers: "xforwarded" },
      resources: keycloakResources(KEYCLOAK_RESOURCES),
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
}

/** The estate's realm (lib/identity/realm.ts), imported by a Job that runs Keycloak itself. */
function realm(apps: Construct, estate: Estate): void {
  new KeycloakRealmImport(apps, "realm", {
    metadata: { name: KEYCLOAK_REALM, namespace: KEYCLOAK_NAMESPACE },
    spec: {
      keycloakCrName: "keycloak",
      // The import Job runs Keycloak itself (build and import): it needs what a Keycloak pod needs.
      resources: typedResources(
        KEYCLOAK_RESOURCES,
        KeycloakRealmImportSpecResourcesRequests.fromString,
        KeycloakRealmImportSpecResourcesLimits.fromString,
      ),
      ...realmImport(estate, OIDC_CLIENT_ID),
    },
  });
}

const KEYCLOAK_TLS_SECRET = "keycloak-tls";
const KEYCLOAK_HTTPS_PORT = 8443;
const ssoHost = (cluster: Cluster) => `sso.${cluster.dns.domain}`;

/**
 * sso.<domain> on the internal gateway: the API servers, the office and (through the tunnel) the
 * cloud workloads reach Keycloak there. The gateway speaks HTTPS to Keycloak's own certificate, so
 * the route goes to a Service of ours that tells Kong so (the operator's Service takes no annotations).
 */
function keycloakOnGateway(scope: Construct, cluster: Cluster, tunnel: readonly string[]): void {
  addModel(
    scope,
    new Service({
      metadata: {
        name: "keycloak-gateway",
        namespace: KEYCLOAK_NAMESPACE,
        annotations: { "konghq.com/protocol": "https" },
      },
      spec: {
        selector: { app: "keycloak", "app.kubernetes.io/instance": "keycloak" },
        ports: [{ name: "https", port: KEYCLOAK_HTTPS_PORT, targetPort: KEYCLOAK_HTTPS_PORT }],
      },
    }),
  );
  // Through the tunnel only the realms' endpoints (tokens, keys, discovery); the admin console and
  // the rest only for the datacenter's own users.
  datacenterRoute(scope, cluster, tunnel, {
    name: "sso",
    namespace: KEYCLOAK_NAMESPACE,
    host: ssoHost(cluster),
    backend: { name: "keycloak-gateway", port: KEYCLOAK_HTTPS_PORT },
    openName: "sso-realms",
  });
}
