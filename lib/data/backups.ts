import type { Construct } from "constructs";
import {
  ObjectStore,
  ObjectStoreSpecConfigurationDataCompression,
  ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests,
} from "../../imports/barman-objectstore-barmancloud.cnpg.io.ts";
import type { ClusterSpecPlugins } from "../../imports/cnpg-cluster-postgresql.cnpg.io.ts";
import {
  ScheduledBackup,
  ScheduledBackupSpecMethod,
} from "../../imports/cnpg-scheduledbackup-postgresql.cnpg.io.ts";
import { EstateError } from "../errors.ts";
import type { Cluster } from "../inventory/model.ts";
import { resources, typedResources } from "../k8s/pod-defaults.ts";
import { CA_BUNDLE_KEY, ORG_CA_BUNDLE } from "../pki/certificates.ts";

/** CloudNativePG's backup plugin (the successor of the in-tree `barmanObjectStore`). */
export const BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";
/**
 * The S3 store in the second failure domain (another datacenter) that every database backs up to:
 * an external endpoint of the cluster, so a lost datacenter or object store does not take the
 * backups with it.
 */
export const BACKUP_ENDPOINT = "backup-store";

/** The Secret (SOPS) with a database's credentials for the backup store. */
export const backupSecretOf = (database: string) => `${database}-backup-s3`;

/**
 * Continuous WAL archiving and a daily base backup of one CloudNativePG Cluster to the backup store,
 * through the Barman Cloud plugin: its ObjectStore and ScheduledBackup. Returns the Cluster's
 * `plugins` entry. The store's TLS is verified with the organisation's CA (Secret `org-ca`).
 */
export function barmanBackups(
  scope: Construct,
  cluster: Cluster,
  db: { name: string; namespace: string; schedule: string },
): ClusterSpecPlugins[] {
  const endpoint = cluster.externalEndpoints[BACKUP_ENDPOINT];
  if (!endpoint)
    throw new EstateError([
      {
        file: cluster.source,
        cluster: cluster.name,
        field: "externalEndpoints",
        rule: "backups-elsewhere",
        message: `database "${db.name}" needs external endpoint "${BACKUP_ENDPOINT}", an S3 store in another failure domain`,
      },
    ]);
  const secret = backupSecretOf(db.name);
  new ObjectStore(scope, `${db.name}-backups`, {
    metadata: { name: `${db.name}-backups`, namespace: db.namespace },
    spec: {
      retentionPolicy: "30d",
      configuration: {
        destinationPath: `s3://${cluster.name}-${db.name}/`,
        endpointUrl: `https://${endpoint.host}`,
        endpointCa: { name: ORG_CA_BUNDLE, key: CA_BUNDLE_KEY },
        s3Credentials: {
          accessKeyId: { name: secret, key: "ACCESS_KEY_ID" },
          secretAccessKey: { name: secret, key: "ACCESS_SECRET_KEY" },
        },
        wal: { compression: ObjectStoreSpecConfigurationWalCompression.GZIP },
        data: { compression: ObjectStoreSpecConfigurationDataCompression.GZIP },
      },
      // The plugin injects a sidecar into every instance pod: it needs requests and limits too.
      instanceSidecarConfiguration: {
        resources: typedResources(
          resources(["50m", "500m"], ["128Mi", "512Mi"]),
          ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests.fromString,
          ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits.fromString,
        ),
      },
    },
  });
  new ScheduledBackup(scope, `${db.name}-daily`, {
    metadata: { name: `${db.name}-daily`, namespace: db.namespace },
    spec: {
      schedule: db.schedule,
      cluster: { name: db.name },
      immediate: true,
      method: ScheduledBackupSpecMethod.PLUGIN,
      pluginConfiguration: { name: BARMAN_PLUGIN },
    },
  });
  return [
    { name: BARMAN_PLUGIN, isWalArchiver: true, parameters: { barmanObjectName: `${db.name}-backups` } },
  ];
}
