import type { Cluster, Estate, Placement } from "../inventory/model.ts";
import { dataNamespaceOf, endpointsOn } from "../platform.ts";
import { ENVIRONMENT_DATABASES } from "./environment-databases.ts";

/** Where the org CA bundle is mounted in a database consumer's pods (libpq's PGSSLROOTCERT). */
/** Where a database client has the CA that issued its server's certificate (lib/pki: `localCa`). */
export const DATABASE_CA_PATH = "/etc/database-ca";

/** One workload's connection to one database of its environment, and the names its credentials go by. */
export interface DatabaseConnection {
  readonly placement: Placement;
  /** The CloudNativePG Cluster (`postgis`, `portal-db`), in the environment's data namespace. */
  readonly database: string;
  readonly dataNamespace: string;
  readonly dbname: string;
  /** The database owner role the consumer's role is a member of. */
  readonly owner: string;
  /** The consumer's own login role (PostgreSQL identifiers: no hyphens). */
  readonly role: string;
  /** Secret (kubernetes.io/basic-auth) in the data namespace: the role's password, for CloudNativePG. */
  readonly roleSecret: string;
  /** Secret in the workload's namespace: the same user and password, for the workload. */
  readonly connectionSecret: string;
  /** The read-write Service, under the name the server certificate carries. */
  readonly host: string;
}

/** The database connections the catalogue's flows declare on a cluster (every cluster when none is named). */
export function databaseConnections(
  estate: Pick<Estate, "placements">,
  cluster?: Cluster,
): DatabaseConnection[] {
  return estate.placements
    .filter((p) => !cluster || p.cluster === cluster)
    .flatMap((placement) => connectionsOf(placement));
}

/** The database connections of one placement: its flows to a database endpoint of its environment. */
export function connectionsOf(placement: Placement): DatabaseConnection[] {
  const { workload, cluster, stage } = placement;
  const available = new Set(endpointsOn(cluster, stage).map((e) => e.name));
  return workload.flows
    .filter((flow) => ENVIRONMENT_DATABASES.some((d) => d.name === flow.to) && available.has(flow.to))
    .filter((flow) => !flow.stages || flow.stages.includes(stage))
    .map((flow) => {
      const db = ENVIRONMENT_DATABASES.find(
        (d) => d.name === flow.to,
      ) as (typeof ENVIRONMENT_DATABASES)[number];
      const dataNamespace = dataNamespaceOf(cluster, stage);
      return {
        placement,
        database: db.name,
        dataNamespace,
        dbname: db.database,
        owner: db.owner,
        role: workload.name.replaceAll("-", "_"),
        roleSecret: `role-${workload.name}`,
        connectionSecret: `db-${db.name}`,
        host: `${db.name}-rw.${dataNamespace}.svc`,
      };
    });
}

/** The CloudNativePG managed roles for the consumers of one database: each logs in, as a member of the owner. */
export function consumerRoles(
  estate: Pick<Estate, "placements">,
  cluster: Cluster,
  database: string,
  namespace: string,
) {
  return databaseConnections(estate, cluster)
    .filter((c) => c.database === database && c.dataNamespace === namespace)
    .map((c) => ({ name: c.role, login: true, inRoles: [c.owner], passwordSecret: { name: c.roleSecret } }));
}

/** The libpq environment a consumer's container gets: everything but the password in clear. */
export function libpqEnv(connection: DatabaseConnection) {
  return {
    PGHOST: connection.host,
    PGPORT: "5432",
    PGDATABASE: connection.dbname,
    PGUSER: connection.role,
    PGSSLMODE: "verify-full",
    PGSSLROOTCERT: `${DATABASE_CA_PATH}/ca.crt`,
  };
}

/** The server certificate names of a database's Services in its namespace. */
export function databaseDnsNames(database: string, namespace: string): string[] {
  return ["rw", "r", "ro"].flatMap((suffix) => {
    const service = `${database}-${suffix}`;
    return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`];
  });
}
