import { ANONYMISED_SCHEMA } from "../data/anonymised-schema.ts";
import type { HydratedObject } from "../hydrate/index.ts";

type Spec = Record<string, any>;

/**
 * A role with REPLICATION (or SUPERUSER) can decode every change of every table of any database it
 * may connect to (a logical slot with a plugin such as test_decoding), whatever the table grants say.
 * So, on every CloudNativePG Cluster of the rendered estate, each such role may reach, by the
 * cluster's pg_hba as PostgreSQL reads it (first matching line wins; CloudNativePG's fixed rules,
 * then the Cluster's `postgresql.pg_hba`, then its default `host all all all <method>`), only
 * databases that a Publication of that Cluster publishes from, and such a database holds only tables
 * of the anonymised schema (as its bootstrap creates them). CloudNativePG's own `streaming_replica`
 * authenticates with a certificate of the Cluster's CA only and is not judged here. pg_hba syntax
 * this reading does not follow (other types such as `include`, `@file`, regular expressions, quoted
 * names, `samerole`) cannot be proven.
 */
export function replicationReachProblems(objects: readonly HydratedObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const { manifest } = object;
    if (manifest.kind !== "Cluster" || !manifest.apiVersion.startsWith("postgresql.cnpg.io/")) continue;
    const spec = (manifest.spec ?? {}) as Spec;
    const roles = ((spec.managed?.roles ?? []) as Spec[]).filter((r) => r.replication || r.superuser);
    if (roles.length === 0) continue;
    const namespace = manifest.metadata?.namespace;
    const name = manifest.metadata?.name;
    const at = `${object.origin}: cluster "${object.cluster}": Cluster ${namespace}/${name}`;
    const mine = (o: HydratedObject) =>
      o.cluster === object.cluster &&
      o.manifest.metadata?.namespace === namespace &&
      (o.manifest.spec as Spec)?.cluster?.name === name;
    const published = new Set(
      objects
        .filter((o) => o.manifest.kind === "Publication" && mine(o))
        .map((o) => (o.manifest.spec as Spec).dbname),
    );
    const databases = [
      { name: spec.bootstrap?.initdb?.database ?? "app", initdb: spec.bootstrap?.initdb as Spec | undefined },
      ...objects
        .filter((o) => o.manifest.kind === "Database" && mine(o))
        .map((o) => ({ name: (o.manifest.spec as Spec).name as string, initdb: undefined })),
    ];
    const hba = [...CNPG_FIXED_RULES, ...((spec.postgresql?.pg_hba ?? []) as string[]), DEFAULT_RULE];
    for (const role of roles)
      for (const database of databases) {
        const reach = reachOf(hba, database.name, role);
        if (reach.kind === "unreadable") {
          problems.push(`${at}: cannot prove what role ${role.name} may reach: pg_hba line "${reach.line}"`);
          continue;
        }
        if (reach.kind === "none") continue;
        const why = !published.has(database.name)
          ? "it is not published"
          : contentProblem(database.initdb, database.name === spec.bootstrap?.initdb?.database);
        if (why)
          problems.push(
            `${at}: role ${role.name} has ${role.superuser ? "SUPERUSER" : "REPLICATION"} and may connect to database ${database.name} (pg_hba: ${reach.line}), but ${why}: logical decoding streams every table of it, whatever the grants; confine the role with pg_hba to the published database`,
          );
      }
  }
  return problems;
}

/** CloudNativePG 1.30's fixed TCP rules (pkg/postgres/configuration.go): both certificate-only. */
const CNPG_FIXED_RULES = [
  "hostssl postgres streaming_replica all cert map=cnpg_streaming_replica",
  "hostssl replication streaming_replica all cert map=cnpg_streaming_replica",
  "hostssl all cnpg_pooler_pgbouncer all cert map=cnpg_pooler_pgbouncer",
];
const DEFAULT_RULE = "host all all all scram-sha-256";

type Reach = { kind: "none" } | { kind: "some"; line: string } | { kind: "unreadable"; line: string };

/** Whether any TCP connection of `role` to `database` meets an admitting line before a reject for all. */
function reachOf(hba: readonly string[], database: string, role: Spec): Reach {
  for (const raw of hba) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") continue;
    const [type = "", databases = "", users = "", address = "", ...rest] = line.split(/\s+/);
    if (type === "local") continue; // the socket inside the instance's pod
    // Regular expressions (`/…`), files (`@…`), quoted names and membership by role (`samerole`,
    // `samegroup`) are not followed here: such a line cannot be proven either way.
    if (
      !/^host(ssl|nossl|gssenc|nogssenc)?$/.test(type) ||
      /[@/"]|samerole|samegroup/.test(`${databases} ${users}`)
    )
      return { kind: "unreadable", line };
    const databaseMatches = (d: string) =>
      d === "all" || d === database || (d === "sameuser" && database === role.name);
    // `+group`: membership may also be granted in SQL the proof does not see, so it counts as a match.
    const userMatches = (u: string) => u === "all" || u === role.name || u.startsWith("+");
    if (!listMatches(databases, databaseMatches) || !listMatches(users, userMatches)) continue;
    // An address may be written as an IP address and a separate mask: the method follows the mask.
    const method = /^\d+\.\d+\.\d+\.\d+$/.test(rest[0] ?? "") ? rest[1] : rest[0];
    const everywhere = address === "all" || address === "0.0.0.0/0" || address === "::/0";
    if (method === "reject") {
      if (everywhere) return { kind: "none" };
      continue;
    }
    return { kind: "some", line };
  }
  return { kind: "none" };
}

const listMatches = (field: string, matches: (item: string) => boolean) => field.split(",").some(matches);

/** Why a published database's content cannot be shown to be anonymised, if it cannot. */
function contentProblem(initdb: Spec | undefined, isInitdb: boolean): string | undefined {
  if (!isInitdb || !initdb)
    return "what it holds cannot be proven (it is not created by the Cluster's bootstrap)";
  if (initdb.postInitApplicationSQLRefs || initdb.import)
    return "what it holds cannot be proven (its bootstrap reads SQL or data from elsewhere)";
  const tables = ((initdb.postInitApplicationSQL ?? []) as string[]).flatMap((sql) =>
    [...sql.matchAll(/CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w."]+)/gi)].map(
      (m) => m[1] as string,
    ),
  );
  const outside = tables.filter((t) => !t.replaceAll('"', "").startsWith(`${ANONYMISED_SCHEMA}.`));
  return outside.length > 0
    ? `it holds tables outside the ${ANONYMISED_SCHEMA} schema (${outside.join(", ")})`
    : undefined;
}
