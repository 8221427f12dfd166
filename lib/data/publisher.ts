import type { Construct } from "constructs";
import {
  ClusterSpecManagedServicesAdditionalSelectorType,
  type ClusterSpecResources,
  Cluster as PostgresCluster,
} from "../../imports/cnpg-cluster-postgresql.cnpg.io.ts";
import { Publication } from "../../imports/cnpg-publication-postgresql.cnpg.io.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { pinnedTo, targetedAddress } from "../network/addresses.ts";
import { serverCertificate } from "../pki/certificates.ts";
import { DATA_NAMESPACE } from "../platform.ts";
import {
  ANONYMISED_READER,
  ANONYMISED_SCHEMA,
  ANONYMISED_TABLES,
  anonymisedReaderSql,
  anonymisedTablesSql,
} from "./anonymised-schema.ts";
import { databaseDnsNames } from "./database-access.ts";

/**
 * The publisher: a CloudNativePG Cluster of its own that holds the anonymised tables and nothing
 * else. The cloud subscribers log in to it as a replication role, and logical decoding ignores table
 * grants (a replication role can stream every change of every table of a database it may connect
 * to), so the anonymised data does not share a database, or even a server, with the data it was
 * made from: the anonymisation jobs read the PostGIS master and write here.
 */
export const PUBLISHER = "anonymised";
/** Its one database, which the publication publishes from. */
export const PUBLISHED_DATABASE = "anonymised";
export const PUBLICATION = "anonymised_tables";
/** The replication role the cloud subscriptions connect as. */
export const SUBSCRIBER_ROLE = "subscriber";
const PUBLISHER_SERVER_TLS = "anonymised-server-tls";

/**
 * pg_hba lines (CloudNativePG puts them after its fixed rules and before its default
 * `host all all all scram-sha-256`): the subscriber role reaches the published database, over TLS,
 * from the subscribers' node ranges only, and nothing else from anywhere.
 */
export function subscriberHba(estate: Estate): string[] {
  return [
    ...subscribers(estate).map(
      (c) => `hostssl ${PUBLISHED_DATABASE} ${SUBSCRIBER_ROLE} ${c.network.nodes} scram-sha-256`,
    ),
    `host all ${SUBSCRIBER_ROLE} all reject`,
  ];
}

export function anonymisedPublisher(
  scope: Construct,
  cluster: Cluster,
  estate: Estate,
  options: { image: string; resources: ClusterSpecResources },
): void {
  // The subscribers connect to postgis.<domain> with verify-full: that name must be on it.
  serverCertificate(scope, cluster, {
    secretName: PUBLISHER_SERVER_TLS,
    verifiedBy: "estate",
    namespace: DATA_NAMESPACE,
    dnsNames: [
      `postgis.${cluster.dns.domain}`,
      ...databaseDnsNames(PUBLISHER, DATA_NAMESPACE),
      ...["postgis-tunnel", `postgis-tunnel.${DATA_NAMESPACE}`, `postgis-tunnel.${DATA_NAMESPACE}.svc`],
    ],
  });
  new PostgresCluster(scope, PUBLISHER, {
    metadata: { name: PUBLISHER, namespace: DATA_NAMESPACE },
    spec: {
      instances: 2,
      imageName: options.image,
      storage: { size: "20Gi" },
      resources: options.resources,
      certificates: { serverTlsSecret: PUBLISHER_SERVER_TLS, serverCaSecret: PUBLISHER_SERVER_TLS },
      bootstrap: {
        initdb: {
          database: PUBLISHED_DATABASE,
          owner: PUBLISHED_DATABASE,
          postInitApplicationSql: [...anonymisedTablesSql(), ...anonymisedReaderSql()],
        },
      },
      postgresql: { pgHba: subscriberHba(estate) },
      managed: {
        roles: [
          {
            name: SUBSCRIBER_ROLE,
            login: true,
            replication: true,
            inRoles: [ANONYMISED_READER],
            // SOPS-encrypted on both sides.
            passwordSecret: { name: `postgis-${SUBSCRIBER_ROLE}` },
          },
        ],
        services: {
          additional: [
            {
              // Reachable from the cloud subscribers through the tunnel, nowhere else.
              selectorType: ClusterSpecManagedServicesAdditionalSelectorType.RW,
              serviceTemplate: {
                metadata: {
                  name: "postgis-tunnel",
                  annotations: {
                    "waterschap.example/exposed-on": "tunnel",
                    ...pinnedTo(cluster, publisherVip(estate)),
                  },
                },
                spec: {
                  type: "LoadBalancer",
                  loadBalancerSourceRanges: subscribers(estate).map((c) => c.network.nodes),
                  // Keep the subscriber's address, so the NetworkPolicy and pg_hba can tell it apart.
                  externalTrafficPolicy: "Local",
                },
              },
            },
          ],
        },
      },
    },
  });
  new Publication(scope, "publication", {
    metadata: { name: "anonymised-tables", namespace: DATA_NAMESPACE },
    spec: {
      cluster: { name: PUBLISHER },
      dbname: PUBLISHED_DATABASE,
      name: PUBLICATION,
      target: {
        objects: ANONYMISED_TABLES.map((t) => ({ table: { schema: ANONYMISED_SCHEMA, name: t.name } })),
      },
    },
  });
}

/** The external endpoint through which a subscribing cluster reaches the PostGIS master's tunnel Service. */
export const PUBLISHER_ENDPOINT = "postgis-publisher";

/** Clusters whose databases subscribe to the PostGIS master's publication: the production cloud ones. */
export function subscribers(estate: Estate): Cluster[] {
  return estate.clusters.filter((c) => c.location === "cloud" && c.production);
}

/** The address the cloud subscribers reach the PostGIS master's tunnel Service on. */
export function publisherVip(estate: Estate): string | undefined {
  const subscribing = new Set(subscribers(estate).map((c) => c.name));
  return targetedAddress(estate, (c) =>
    subscribing.has(c.name) ? c.externalEndpoints[PUBLISHER_ENDPOINT]?.cidr : undefined,
  );
}
