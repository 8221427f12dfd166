import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import {
  ClusterSpecResourcesLimits,
  ClusterSpecResourcesRequests,
  Cluster as PostgresCluster,
} from "../imports/cnpg-cluster-postgresql.cnpg.io.ts";
import { Subscription } from "../imports/cnpg-subscription-postgresql.cnpg.io.ts";
import { anonymisedTablesSql } from "../lib/data/anonymised-schema.ts";
import { barmanBackups } from "../lib/data/backups.ts";
import { MIRROR_ENDPOINT, MIRRORED_BUCKET } from "../lib/data/buckets.ts";
import { consumerRoles, databaseDnsNames } from "../lib/data/database-access.ts";
import { environmentDatabases } from "../lib/data/environment-databases.ts";
import { storeMirrors } from "../lib/data/object-store.ts";
import {
  anonymisedPublisher,
  PUBLICATION,
  PUBLISHED_DATABASE,
  SUBSCRIBER_ROLE,
  subscribers,
} from "../lib/data/publisher.ts";
import { EstateError } from "../lib/errors.ts";
import { Layer } from "../lib/flux/layers.ts";
import { mirror } from "../lib/images.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { type Resources, resources, typedResources } from "../lib/k8s/pod-defaults.ts";
import { podSecurityOf } from "../lib/namespaces/registry.ts";
import { CA_BUNDLE_KEY, caBundleSecret, ORG_CA_BUNDLE, serverCertificate } from "../lib/pki/certificates.ts";
import { DATA_NAMESPACE, homeOf } from "../lib/platform.ts";
import { DATA_OBJECT_STORE } from "./components/minio.ts";

export const POSTGIS_IMAGE = "ghcr.io/cloudnative-pg/postgis:18.6-3.6.2-system-trixie";
const POSTGIS_SERVER_TLS = "postgis-server-tls";
const PORTAL_DB_SERVER_TLS = "portal-db-server-tls";

export { MIRROR_ENDPOINT, MIRRORED_BUCKET };

/** Requests and limits of a CloudNativePG Cluster: its instance pods take them (both containers). */
export function cnpgResources(value: Resources) {
  return typedResources(
    value,
    ClusterSpecResourcesRequests.fromString,
    ClusterSpecResourcesLimits.fromString,
  );
}

/**
 * Data: the PostGIS master and the object store on the data home (on-prem), backed up to the object
 * store in another failure domain; the anonymised tables in a publisher of their own. Cloud clusters
 * get a small database that subscribes to its publication (logical replication): never a physical
 * replica of the master in the cloud.
 */
export class DataChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "data", { disableResourceNameHashes: true });
    const home = homeOf(estate, "data");
    const layer = Layer.in(this, "apps");
    const isHome = cluster === home;
    const subscribes = subscribers(estate).includes(cluster);
    if (!cluster.production) {
      environmentDatabases(layer, cluster, {
        image: mirror(cluster, POSTGIS_IMAGE),
        resources: cnpgResources(resources(["100m", "1"], ["256Mi", "1Gi"])),
        roles: (database, namespace) => consumerRoles(estate, cluster, database, namespace),
      });
      return;
    }
    if (!isHome && !subscribes) return;
    if (isHome) requireMirrorEndpoint(cluster);

    addModel(
      layer,
      new Namespace({
        metadata: {
          name: DATA_NAMESPACE,
          labels: { "pod-security.kubernetes.io/enforce": podSecurityOf(DATA_NAMESPACE) },
        },
      }),
    );
    // Backups and subscribers verify TLS with the organisation's CA.
    caBundleSecret(layer, cluster, DATA_NAMESPACE);

    if (isHome) {
      postgisMaster(layer, cluster, estate);
      // What the cloud may have lives apart, in a publisher of its own (lib/data/publisher.ts). Its
      // content is made again from the master by the anonymisation jobs: no backups of its own.
      anonymisedPublisher(layer, cluster, estate, {
        image: mirror(cluster, POSTGIS_IMAGE),
        resources: cnpgResources(resources(["250m", "1"], ["512Mi", "1Gi"])),
      });
      // The store itself is a component (charts/components/minio.ts); its bucket mirrors are here.
      storeMirrors(layer, cluster, DATA_OBJECT_STORE);
    }
    if (subscribes) portalSubscriber(layer, cluster, estate, home);
  }
}

/** The data home mirrors the anonymised training bucket to the cloud: it needs that endpoint. */
function requireMirrorEndpoint(cluster: Cluster): void {
  if (cluster.externalEndpoints[MIRROR_ENDPOINT]) return;
  throw new EstateError([
    {
      file: cluster.source,
      cluster: cluster.name,
      field: "externalEndpoints",
      rule: "object-store-mirror",
      message: `the data home needs external endpoint "${MIRROR_ENDPOINT}", where ${MIRRORED_BUCKET} is mirrored to`,
    },
  ]);
}

/** The PostGIS master: its certificate, three instances, backups, a login role per consumer. */
function postgisMaster(layer: Construct, cluster: Cluster, estate: Estate): void {
  // Its consumers are in this cluster; the subscribers connect to the publisher, not here.
  serverCertificate(layer, cluster, {
    verifiedBy: "cluster",
    secretName: POSTGIS_SERVER_TLS,
    namespace: DATA_NAMESPACE,
    dnsNames: databaseDnsNames("postgis", DATA_NAMESPACE),
  });
  new PostgresCluster(layer, "postgis", {
    metadata: { name: "postgis", namespace: DATA_NAMESPACE },
    spec: {
      instances: 3,
      imageName: mirror(cluster, POSTGIS_IMAGE),
      storage: { size: "200Gi" },
      resources: cnpgResources(resources(["1", "4"], ["4Gi", "8Gi"])),
      certificates: { serverTlsSecret: POSTGIS_SERVER_TLS, serverCaSecret: POSTGIS_SERVER_TLS },
      bootstrap: {
        initdb: {
          database: "meetdata",
          owner: "meetdata",
          postInitApplicationSql: ["CREATE EXTENSION IF NOT EXISTS postgis"],
        },
      },
      plugins: barmanBackups(layer, cluster, {
        name: "postgis",
        namespace: DATA_NAMESPACE,
        schedule: "0 0 2 * * *",
      }),
      // The catalogue's workloads with a flow to it, each with a login role of its own.
      managed: { roles: consumerRoles(estate, cluster, "postgis", DATA_NAMESPACE) },
    },
  });
}

/** A cloud cluster's portal database, subscribed to the publisher's anonymised tables. */
function portalSubscriber(layer: Construct, cluster: Cluster, estate: Estate, home: Cluster): void {
  // Its consumers, in this cluster, verify it (sslmode=verify-full) with the cluster's local CA.
  serverCertificate(layer, cluster, {
    verifiedBy: "cluster",
    secretName: PORTAL_DB_SERVER_TLS,
    namespace: DATA_NAMESPACE,
    dnsNames: databaseDnsNames("portal-db", DATA_NAMESPACE),
  });
  const roles = consumerRoles(estate, cluster, "portal-db", DATA_NAMESPACE);
  new PostgresCluster(layer, "portal-db", {
    metadata: { name: "portal-db", namespace: DATA_NAMESPACE },
    spec: {
      instances: 2,
      imageName: mirror(cluster, POSTGIS_IMAGE),
      storage: { size: "20Gi" },
      resources: cnpgResources(resources(["250m", "1"], ["512Mi", "1Gi"])),
      certificates: { serverTlsSecret: PORTAL_DB_SERVER_TLS, serverCaSecret: PORTAL_DB_SERVER_TLS },
      ...(roles.length ? { managed: { roles } } : {}),
      bootstrap: {
        initdb: {
          database: "portal",
          owner: "portal",
          // The subscription copies rows into tables that must already exist.
          postInitApplicationSql: anonymisedTablesSql(),
        },
      },
      externalClusters: [
        {
          name: "core-postgis",
          connectionParameters: {
            host: `postgis.${home.dns.domain}`,
            user: SUBSCRIBER_ROLE,
            dbname: PUBLISHED_DATABASE,
            sslmode: "verify-full",
          },
          sslRootCert: { name: ORG_CA_BUNDLE, key: CA_BUNDLE_KEY },
          password: { name: "core-postgis-subscriber", key: "password" },
        },
      ],
    },
  });
  new Subscription(layer, "subscription", {
    metadata: { name: "anonymised-tables", namespace: DATA_NAMESPACE },
    spec: {
      cluster: { name: "portal-db" },
      dbname: "portal",
      name: PUBLICATION,
      publicationName: PUBLICATION,
      externalClusterName: "core-postgis",
    },
  });
}
