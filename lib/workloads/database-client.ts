import { type ApiObject, JsonPatch } from "cdk8s";
import { connectionsOf, DATABASE_CA_PATH, libpqEnv } from "../data/database-access.ts";
import type { Placement } from "../inventory/model.ts";
import { localCa } from "../pki/certificates.ts";

const CA_VOLUME = "database-ca";

/**
 * A workload with a flow to a database gets what libpq needs to reach it: host, database, its own user
 * and, from the connection Secret in its namespace, the password; `sslmode=verify-full` against the CA
 * of the cluster's local certificates, mounted from the namespace's bundle of it. One database per
 * workload (libpq's PG* environment names one).
 */
export function addDatabaseClient(deployment: ApiObject, placement: Placement): void {
  const [connection] = connectionsOf(placement);
  if (!connection) return;
  const env = [
    ...Object.entries(libpqEnv(connection)).map(([name, value]) => ({ name, value })),
    {
      name: "PGPASSWORD",
      valueFrom: { secretKeyRef: { name: connection.connectionSecret, key: "password" } },
    },
  ];
  deployment.addJsonPatch(
    ...env.map((e) => JsonPatch.add("/spec/template/spec/containers/0/env/-", e)),
    JsonPatch.add("/spec/template/spec/volumes/-", {
      name: CA_VOLUME,
      secret: { secretName: localCa(placement.cluster).bundle },
    }),
    JsonPatch.add("/spec/template/spec/containers/0/volumeMounts/-", {
      name: CA_VOLUME,
      mountPath: DATABASE_CA_PATH,
      readOnly: true,
    }),
  );
}
