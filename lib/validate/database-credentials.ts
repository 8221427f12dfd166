import { type DatabaseConnection, databaseConnections } from "../data/database-access.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import type { Estate } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { signerOf, trustProblem } from "./certificate-trust.ts";

type Spec = Record<string, any>;

/**
 * Every database flow of the catalogue is usable as rendered: the workload's container is given the
 * host, database, its user, the password from the connection Secret in its namespace and
 * `sslmode=verify-full` against a mounted bundle that holds the CA which signs the server's certificate
 * (followed through its ClusterIssuer); the Secret exists; the database has a login role of
 * that name whose password Secret exists; and its server certificate names the host.
 */
export function databaseCredentialProblems(
  estate: Pick<Estate, "placements">,
  objectsOf: ReadonlyMap<string, readonly HydratedObject[]>,
): string[] {
  return databaseConnections(estate).flatMap((c) => {
    const objects = objectsOf.get(c.placement.cluster.name) ?? [];
    const at = `cluster "${c.placement.cluster.name}": database flow ${c.placement.workload.name} (${c.placement.stage}) -> ${c.database} in ${c.dataNamespace}`;
    return [...clientProblems(c, objects), ...serverProblems(c, objects)].map((p) => `${at}: ${p}`);
  });
}

const find = (
  objects: readonly HydratedObject[],
  kind: string,
  namespace: string,
  name: string,
): Manifest | undefined =>
  objects.find(
    (o) =>
      o.manifest.kind === kind &&
      o.manifest.metadata?.namespace === namespace &&
      o.manifest.metadata?.name === name,
  )?.manifest;

function clientProblems(c: DatabaseConnection, objects: readonly HydratedObject[]): string[] {
  const { namespace, workload } = c.placement;
  const deployment = find(objects, "Deployment", namespace, workload.name);
  if (!deployment) return [`no Deployment ${namespace}/${workload.name}`];
  const pod = ((deployment.spec as Spec)?.template?.spec ?? {}) as Spec;
  const env = new Map<string, Spec>(((pod.containers?.[0]?.env ?? []) as Spec[]).map((e) => [e.name, e]));
  const problems: string[] = [];
  const password = env.get("PGPASSWORD")?.valueFrom?.secretKeyRef;
  if (password?.name !== c.connectionSecret || password?.key !== "password")
    problems.push(
      `no credentials delivered: PGPASSWORD does not come from Secret ${namespace}/${c.connectionSecret} (key password)`,
    );
  else if (!find(objects, "Secret", namespace, c.connectionSecret))
    problems.push(`no credentials delivered: Secret ${namespace}/${c.connectionSecret} does not exist`);
  const expected = { PGHOST: c.host, PGDATABASE: c.dbname, PGUSER: c.role, PGSSLMODE: "verify-full" };
  for (const [name, value] of Object.entries(expected))
    if (env.get(name)?.value !== value)
      problems.push(`${name} is "${env.get(name)?.value ?? ""}", expected "${value}"`);
  const caPath = String(env.get("PGSSLROOTCERT")?.value ?? "");
  const mount = ((pod.containers?.[0]?.volumeMounts ?? []) as Spec[]).find((m) =>
    caPath.startsWith(`${m.mountPath}/`),
  );
  const bundle = ((pod.volumes ?? []) as Spec[]).find((v) => v.name === mount?.name)?.secret?.secretName;
  if (!bundle) problems.push(`PGSSLROOTCERT (${caPath || "unset"}) is not in a mounted CA bundle Secret`);
  const certificate = serverCertificateOf(c, objects);
  if (bundle && certificate) {
    const problem = trustProblem(
      objects,
      { namespace, name: bundle },
      signerOf(c.placement.cluster, objects, certificate),
    );
    if (problem) problems.push(`verify-full cannot succeed: ${problem}`);
  }
  return problems;
}

/** The Certificate whose Secret the database serves (CloudNativePG `serverTLSSecret`). */
function serverCertificateOf(
  c: DatabaseConnection,
  objects: readonly HydratedObject[],
): Manifest | undefined {
  const cluster = find(objects, "Cluster", c.dataNamespace, c.database);
  const tls = (cluster?.spec as Spec | undefined)?.certificates?.serverTLSSecret as string | undefined;
  if (!tls) return undefined;
  return objects.find(
    (o) =>
      o.manifest.kind === "Certificate" &&
      o.manifest.metadata?.namespace === c.dataNamespace &&
      (o.manifest.spec as Spec)?.secretName === tls,
  )?.manifest;
}

function serverProblems(c: DatabaseConnection, objects: readonly HydratedObject[]): string[] {
  const cluster = find(objects, "Cluster", c.dataNamespace, c.database);
  if (!cluster) return [`no CloudNativePG Cluster ${c.dataNamespace}/${c.database}`];
  const spec = (cluster.spec ?? {}) as Spec;
  const problems: string[] = [];
  const role = ((spec.managed?.roles ?? []) as Spec[]).find((r) => r.name === c.role);
  if (!role?.login || role.passwordSecret?.name !== c.roleSecret)
    problems.push(`the database has no login role "${c.role}" with password Secret ${c.roleSecret}`);
  else if (!find(objects, "Secret", c.dataNamespace, c.roleSecret))
    problems.push(`Secret ${c.dataNamespace}/${c.roleSecret} (the role's password) does not exist`);
  const tls = spec.certificates?.serverTLSSecret as string | undefined;
  const certificate = serverCertificateOf(c, objects);
  if (!tls || !((certificate?.spec as Spec)?.dnsNames ?? []).includes(c.host))
    problems.push(
      `verify-full cannot succeed: the server certificate ${tls ? `(${tls}) ` : ""}does not name ${c.host}`,
    );
  return problems;
}
