import { ANONYMISED_SCHEMA } from "../data/anonymised-schema.ts";
import { BUCKET_LEVELS } from "../data/buckets.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import type { Cluster } from "../inventory/model.ts";

type Spec = Record<string, any>;

/**
 * What leaves the datacenter through the platform, on the rendered estate: logical replication and
 * bucket mirrors. A Publication that a cloud cluster subscribes to may publish only tables of the
 * anonymised schema (logical decoding ships every change of what it publishes, whatever the table
 * ACLs say); a bucket mirror may copy only a bucket declared low (anonymised) out of the datacenter.
 */
export function platformTransferProblems(
  clusters: readonly Cluster[],
  objects: readonly HydratedObject[],
): string[] {
  const location = new Map(clusters.map((c) => [c.name, c.location]));
  const subscribed = new Set(
    objects
      .filter((o) => o.manifest.kind === "Subscription" && location.get(o.cluster) === "cloud")
      .map((o) => (o.manifest.spec as Spec)?.publicationName as string),
  );
  const problems: string[] = [];
  for (const { cluster, origin, manifest } of objects) {
    if (location.get(cluster) !== "on-prem") continue;
    const at = `${origin}: cluster "${cluster}": ${manifest.kind} ${manifest.metadata?.namespace}/${manifest.metadata?.name}`;
    const spec = (manifest.spec ?? {}) as Spec;
    if (
      manifest.kind === "Publication" &&
      manifest.apiVersion.startsWith("postgresql.cnpg.io/") &&
      subscribed.has(spec.name)
    )
      problems.push(...publicationProblems(spec).map((p) => `${at}: ${p}`));
    for (const bucket of mirroredBuckets(manifest))
      if ((BUCKET_LEVELS as Record<string, string>)[bucket] !== "low")
        problems.push(
          `${at}: mirrors bucket ${bucket} (${(BUCKET_LEVELS as Record<string, string>)[bucket] ?? "undeclared level"}) out of the datacenter; only a bucket declared low (anonymised) may leave`,
        );
  }
  return problems;
}

function publicationProblems(spec: Spec): string[] {
  const target = (spec.target ?? {}) as Spec;
  const leaves = `the cloud subscribes to it, so ${spec.dbname} data would reach the cloud`;
  if (target.allTables) return [`publishes all tables of ${spec.dbname}: ${leaves}`];
  return ((target.objects ?? []) as Spec[]).flatMap((o) => {
    const schema = o.table?.schema ?? o.tablesInSchema ?? "public";
    const what = o.table ? `table ${schema}.${o.table.name}` : `every table in schema ${schema}`;
    return schema === ANONYMISED_SCHEMA
      ? []
      : [`publishes ${what}, outside the ${ANONYMISED_SCHEMA} schema: ${leaves}`];
  });
}

/** The buckets an `mc mirror` CronJob copies from the local store. */
function mirroredBuckets(manifest: { kind: string; spec?: unknown }): string[] {
  if (manifest.kind !== "CronJob") return [];
  const containers = ((manifest.spec as Spec)?.jobTemplate?.spec?.template?.spec?.containers ?? []) as Spec[];
  return containers.flatMap((c) => {
    const args = (c.args ?? []) as string[];
    if (args[0] !== "mirror") return [];
    return args
      .filter((a) => a.startsWith("local/"))
      .map((a) => a.slice("local/".length).split("/")[0] as string);
  });
}
