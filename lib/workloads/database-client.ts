import { type ApiObject, JsonPatch } from "cdk8s";
import { connectionsOf, DATABASE_CA_PATH, libpqEnv } from "../data/database-access.ts";
import type { Placement } from "../inventory/model.ts";
import { ORG_CA_BUNDLE } from "../pki/certificates.ts";

const CA_VOLUME = "org-ca";

/**
 * A workload with a flow to a database gets what libpq needs to reach it: host, database, its own user
 * and, from the connection Secret in its namespace, the password; `sslmode=verify-full` against the
 * organisation's CA, mounted from the namespace's CA bundle. One database per workload (libpq's PG*
 * environment names one).
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
      secret: { secretName: ORG_CA_BUNDLE },
    }),
    JsonPatch.add("/spec/template/spec/containers/0/volumeMounts/-", {
      name: CA_VOLUME,
      mountPath: DATABASE_CA_PATH,
      readOnly: true,
    }),
  );
}
