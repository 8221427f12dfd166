import { randomBytes } from "node:crypto";
import { databaseConnections } from "../data/database-access.ts";
import type { Estate } from "../inventory/model.ts";
import { writeSecret } from "./write.ts";

/**
 * The credentials of every database connection of one workload, in every environment: a new password
 * per connection, as the role's Secret beside the database (CloudNativePG sets the role's password
 * from it) and as the connection Secret in the workload's namespace. Running it again rotates them.
 */
export async function writeDatabaseSecrets(
  root: string,
  estate: Estate,
  workload: string,
): Promise<string[]> {
  const connections = databaseConnections(estate).filter((c) => c.placement.workload.name === workload);
  if (connections.length === 0) {
    const known = [...new Set(databaseConnections(estate).map((c) => c.placement.workload.name))].sort();
    throw new Error(
      `"${workload}" has no flow to a database (workloads with one: ${known.join(", ") || "none"})`,
    );
  }
  const files: string[] = [];
  for (const c of connections) {
    const password = randomBytes(32).toString("base64url");
    const cluster = c.placement.cluster;
    files.push(
      await writeSecret(
        root,
        cluster,
        { namespace: c.dataNamespace, name: c.roleSecret },
        { data: { username: c.role, password }, type: "kubernetes.io/basic-auth" },
      ),
      await writeSecret(
        root,
        cluster,
        { namespace: c.placement.namespace, name: c.connectionSecret },
        { data: { username: c.role, password } },
      ),
    );
  }
  return files;
}
