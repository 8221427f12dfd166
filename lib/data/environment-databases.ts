import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import {
  type ClusterSpec,
  Cluster as PostgresCluster,
} from "../../imports/cnpg-cluster-postgresql.cnpg.io.ts";
import type { Cluster } from "../inventory/model.ts";
import type { Stage } from "../inventory/schema.ts";
import { STAGE_LABEL } from "../k8s/labels.ts";
import { addModel } from "../k8s/model-object.ts";
import { serverCertificate } from "../pki/certificates.ts";
import { dataNamespaceOf } from "../platform.ts";
import { anonymisedTablesSql } from "./anonymised-schema.ts";
import { databaseDnsNames } from "./database-access.ts";

/** The databases each non-prod environment gets, named like their production counterparts. */
export const ENVIRONMENT_DATABASES = [
  { name: "postgis", database: "meetdata", owner: "meetdata" },
  { name: "portal-db", database: "portal", owner: "portal" },
] as const;

/**
 * One small database of each kind per environment on a non-prod cluster, in `<stage>-data`: the same
 * schema as production (the anonymised tables), filled with synthetic data by the application teams.
 * No backups and no replication: an environment's data is rebuilt, never restored.
 */
export function environmentDatabases(
  scope: Construct,
  cluster: Cluster,
  database: {
    image: string;
    resources: ClusterSpec["resources"];
    /** The login roles of the environment's consumers of one database (lib/data/database-access.ts). */
    roles: (database: string, namespace: string) => NonNullable<ClusterSpec["managed"]>["roles"];
  },
): void {
  for (const stage of cluster.stages as readonly Stage[]) {
    const namespace = dataNamespaceOf(cluster, stage);
    addModel(
      scope,
      new Namespace({
        metadata: {
          name: namespace,
          labels: { "pod-security.kubernetes.io/enforce": "restricted", [STAGE_LABEL]: stage },
        },
      }),
    );
    for (const db of ENVIRONMENT_DATABASES) {
      const tls = `${db.name}-server-tls`;
      // Its clients are the environment's workloads, in this cluster.
      serverCertificate(scope, cluster, {
        secretName: tls,
        namespace,
        dnsNames: databaseDnsNames(db.name, namespace),
        verifiedBy: "cluster",
      });
      const roles = database.roles(db.name, namespace) ?? [];
      new PostgresCluster(scope, `${namespace}-${db.name}`, {
        metadata: { name: db.name, namespace },
        spec: {
          instances: 1,
          imageName: database.image,
          storage: { size: "10Gi" },
          resources: database.resources,
          certificates: { serverTlsSecret: tls, serverCaSecret: tls },
          ...(roles.length ? { managed: { roles } } : {}),
          bootstrap: {
            initdb: { database: db.database, owner: db.owner, postInitApplicationSql: anonymisedTablesSql() },
          },
        },
      });
    }
  }
}
