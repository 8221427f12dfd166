import { ENVIRONMENT_DATABASES } from "../data/environment-databases.ts";
import { PUBLISHER, PUBLISHER_ENDPOINT, subscribers } from "../data/publisher.ts";
import { type Connection, cidr, pods, tcp, toGatewayOf } from "../inventory/connection.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { DATA_NAMESPACE, dataNamespaceOf, homeOf, KEYCLOAK_NAMESPACE, OBJECT_STORE } from "../platform.ts";
import { identityConnections, postgresConnections } from "./platform.ts";
import { cnpgInstances, KONG_GATEWAY, toObjectStore } from "./platform-peers.ts";

/**
 * The estate-wide services and who uses them: PostGIS on the data home and the bucket mirror of its
 * object store, the cloud subscriber, Keycloak on the identity home, and the public gateway
 * forwarding routes that on-prem workloads publish through it. The stores of the observability home
 * and the object store itself are components: their descriptors declare their connections
 * (lib/connections/observability.ts has the building blocks).
 */
export function serviceConnections(cluster: Cluster, estate: Estate): Connection[] {
  return [
    ...databaseConnections(cluster, estate),
    ...(cluster === homeOf(estate, "identity") ? identityHomeConnections(cluster, estate) : []),
    ...forwardedRoutes(cluster, estate),
  ];
}

/** PostGIS and its subscribers, the cloud portal database, and each non-prod environment's databases. */
function databaseConnections(cluster: Cluster, estate: Estate): Connection[] {
  const connections: Connection[] = [];
  if (cluster === homeOf(estate, "data")) {
    connections.push(...dataHomeConnections(cluster));
    // The publisher holds only the anonymised tables (lib/data/publisher.ts); its content is made
    // again from the master by the anonymisation jobs, so it keeps no backups of its own.
    const publisher = cnpgInstances(DATA_NAMESPACE, PUBLISHER);
    connections.push(...postgresConnections(cluster, publisher));
    for (const subscriber of subscribers(estate))
      connections.push({
        name: `${subscriber.name}-to-${PUBLISHER}`,
        from: cidr(subscriber.network.nodes, subscriber.name),
        to: publisher,
        ports: tcp(5432),
        why: `${subscriber.name}'s portal database subscribes to the anonymised publication (tunnel)`,
      });
  }
  if (subscribers(estate).includes(cluster)) {
    const portalDb = cnpgInstances(DATA_NAMESPACE, "portal-db");
    connections.push(...postgresConnections(cluster, portalDb));
    const publisher = cluster.externalEndpoints[PUBLISHER_ENDPOINT];
    if (publisher)
      connections.push({
        name: "portal-db-to-postgis-publisher",
        from: portalDb,
        to: cidr(publisher.cidr, PUBLISHER_ENDPOINT),
        ports: tcp(publisher.port),
        why: "the portal database subscribes to the anonymised publication (logical replication, tunnel)",
      });
  }
  if (!cluster.production)
    for (const stage of cluster.stages)
      for (const db of ENVIRONMENT_DATABASES)
        connections.push(
          ...postgresConnections(cluster, cnpgInstances(dataNamespaceOf(cluster, stage), db.name), {
            name: `${stage}-${db.name}`,
          }),
        );
  return connections;
}

/** Keycloak and its database; every cluster's API server fetches the issuer's keys (JWKS) from it. */
function identityHomeConnections(cluster: Cluster, estate: Estate): Connection[] {
  const db = cnpgInstances(KEYCLOAK_NAMESPACE, "keycloak-db");
  return [
    ...postgresConnections(cluster, db, { backups: true }),
    ...identityConnections(cluster, db),
    ...estate.clusters.map((c) => ({
      name: `${c.name}-api-server-to-gateway`,
      from: cidr(c.network.controlPlane, `${c.name}-api-server`),
      to: KONG_GATEWAY,
      ports: tcp(8443),
      why: `${c.name}'s API server verifies Keycloak tokens against sso.<domain>${c === cluster ? "" : " (tunnel)"}`,
    })),
  ];
}

function dataHomeConnections(cluster: Cluster): Connection[] {
  const postgis = cnpgInstances(DATA_NAMESPACE, "postgis");
  const mirror = pods(
    OBJECT_STORE.namespace,
    { "app.kubernetes.io/name": "mirror-anonymized-training-data" },
    "bucket-mirror",
  );
  const target = cluster.externalEndpoints["cloud-object-store"];
  return [
    ...postgresConnections(cluster, postgis, { backups: true }),
    toObjectStore("bucket-mirror", mirror, "the mirror reads the anonymised training bucket"),
    ...(target
      ? [
          {
            name: "bucket-mirror-to-cloud",
            from: mirror,
            to: cidr(target.cidr, "cloud-object-store"),
            ports: tcp(target.port),
            why: "the anonymised training bucket is copied one way to the cloud store (seed: MinIO mirroring)",
          },
        ]
      : []),
  ];
}

/** A public gateway forwards routes that on-prem workloads publish through it to their cluster's gateway. */
function forwardedRoutes(cluster: Cluster, estate: Estate): Connection[] {
  const targets = new Set(
    estate.placements
      .filter((p) => p.workload.routes.some((r) => r.publishVia === cluster.name))
      .map((p) => p.cluster),
  );
  return [...targets].flatMap((target) =>
    toGatewayOf(cluster, target, {
      name: `gateway-to-${target.name}`,
      from: KONG_GATEWAY,
      why: `routes published through this gateway are forwarded to ${target.name} (tunnel)`,
    }),
  );
}
