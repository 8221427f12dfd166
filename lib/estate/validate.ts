import type { z } from "zod";
import { contractProblems } from "../contract/consistency.ts";
import type { Problem } from "../errors.ts";
import { EstateError } from "../errors.ts";
import type { PinnedComponent } from "../inventory/component.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { ClusterInputSchema, OPTIONAL_SERVICES, PLATFORM_SERVICES } from "../inventory/schema.ts";
import { reservedNamespaces } from "../namespaces/registry.ts";
import { credentialProblems, privateKeyProblems } from "../rules/credentials.ts";
import { PLACEMENT_RULES } from "../rules/index.ts";
import { checkForwards, checkRouteCollisions } from "../rules/routes.ts";
import { checkPlacements } from "../rules/rule.ts";
import { sovereigntyProblems } from "../sovereignty/prove.ts";
import { alertingProblems } from "./alerting.ts";
import { componentProblems } from "./components.ts";
import { type KeyReader, readCaCertificate, readClusterCaCertificate, readCosignKey } from "./keys.ts";
import { resolveWorkloads, type WorkloadSource } from "./workloads.ts";

/** One cluster definition as read from its file, not yet trusted. */
export interface ClusterSource {
  readonly file: string;
  readonly input: unknown;
}

export type { KeyReader };

function zodProblems(file: string, cluster: string | undefined, error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    file,
    cluster,
    field: issue.path.join(".") || "(root)",
    message: issue.message,
  }));
}

function expectedName(file: string): string {
  return (file.split("/").pop() ?? file).replace(/\.ts$/, "");
}

/**
 * Turns raw cluster definitions into a trusted estate, or throws an EstateError listing every problem
 * with the file, cluster and field it is in.
 */
export function validateEstate(
  sources: readonly ClusterSource[],
  workloadSources: readonly WorkloadSource[],
  readKey: KeyReader,
  components: readonly PinnedComponent[],
): Estate {
  const problems: Problem[] = [...componentProblems(components)];
  for (const { file, input } of [...sources, ...workloadSources])
    problems.push(...privateKeyProblems(file, input));
  const clusters = readClusters(sources, readKey, problems);
  if (sources.length === 0) problems.push({ file: "clusters/index.ts", message: "lists no cluster" });
  problems.push(...platformHomeProblems(clusters), ...gatewayOfProblems(clusters));
  if (problems.length > 0) throw new EstateError(problems);

  const {
    workloads,
    placements,
    problems: workloadProblems,
  } = resolveWorkloads(workloadSources, clusters, reservedNamespaces(components));
  problems.push(
    ...workloadProblems,
    ...workloads.flatMap(credentialProblems),
    ...checkPlacements(PLACEMENT_RULES, placements, clusters),
    ...checkForwards({ clusters }, placements),
    ...checkRouteCollisions(placements),
  );
  // The whole-estate proof needs every placement valid on its own first.
  if (problems.length === 0) problems.push(...sovereigntyProblems(clusters, placements));
  if (problems.length > 0) throw new EstateError(problems);
  return { clusters, workloads, placements, secrets: [], components };
}

type ParsedCluster = z.output<typeof ClusterInputSchema>;

/** Every cluster file through its schema, its consistency checks and its key files; the trusted ones. */
function readClusters(sources: readonly ClusterSource[], readKey: KeyReader, problems: Problem[]): Cluster[] {
  const clusters: Cluster[] = [];
  const seenNames = new Map<string, string>();
  const seenDomains = new Map<string, string>();
  for (const { file, input } of sources) {
    const parsed = ClusterInputSchema.safeParse(input);
    if (!parsed.success) {
      const name = (input as { name?: unknown } | null)?.name;
      problems.push(...zodProblems(file, typeof name === "string" ? name : undefined, parsed.error));
      continue;
    }
    const c = parsed.data;
    const local = consistencyProblems(file, c, seenNames.get(c.name), seenDomains.get(c.dns.domain));
    const keys = readClusterKeys(file, c, readKey, local);
    seenNames.set(c.name, file);
    seenDomains.set(c.dns.domain, c.name);
    if (local.length > 0 || !keys) problems.push(...local);
    else clusters.push(toCluster(file, c, keys));
  }
  return clusters;
}

interface ClusterKeys {
  readonly cosignPem: string;
  readonly caPem: string;
  readonly clusterCaPem?: string;
}

/** The public key files a cluster names, read and checked; undefined when one is unusable. */
function readClusterKeys(
  file: string,
  c: ParsedCluster,
  readKey: KeyReader,
  problems: Problem[],
): ClusterKeys | undefined {
  const cosignPem = readCosignKey(file, c.name, c.images.cosignPublicKey, readKey);
  const caPem = readCaCertificate(file, c.name, c.pki.caCertificate, readKey);
  for (const read of [cosignPem, caPem]) if (typeof read !== "string") problems.push(read);
  if (typeof cosignPem !== "string" || typeof caPem !== "string") return undefined;
  const path = c.pki.clusterCaCertificate;
  if (path === undefined) return { cosignPem, caPem };
  const clusterCaPem = readClusterCaCertificate(file, c.name, path, caPem, readKey);
  if (typeof clusterCaPem !== "string") {
    problems.push(clusterCaPem);
    return undefined;
  }
  return { cosignPem, caPem, clusterCaPem };
}

/** What the schema cannot see: the file name, names and domains used twice, stages, access, provider. */
function consistencyProblems(
  file: string,
  c: ParsedCluster,
  nameUsedBy: string | undefined,
  domainUsedBy: string | undefined,
): Problem[] {
  const at = { file, cluster: c.name };
  const problems: Problem[] = [];
  if (c.name !== expectedName(file))
    problems.push({
      ...at,
      field: "name",
      message: `does not match its file name; expected "${expectedName(file)}" (the file is named after the cluster)`,
    });
  if (nameUsedBy) problems.push({ ...at, field: "name", message: `is already used by ${nameUsedBy}` });
  if (domainUsedBy)
    problems.push({ ...at, field: "dns.domain", message: `is already used by cluster "${domainUsedBy}"` });
  const stages = new Set(c.stages);
  if (stages.size !== c.stages.length)
    problems.push({ ...at, field: "stages", message: "lists a stage twice" });
  if (stages.has("prod") && stages.size > 1)
    problems.push({
      ...at,
      field: "stages",
      message: "mixes prod with non-prod stages; production runs on its own cluster (OTAP isolation)",
    });
  if (stages.has("prod") && (c.developerGroups ?? []).length > 0)
    problems.push({
      ...at,
      field: "developerGroups",
      rule: "no-human-access-in-prod",
      message: "production clusters grant no human access; Flux is the only writer",
    });
  if (c.location === "cloud" && c.provider === "datacenter")
    problems.push({ ...at, field: "provider", message: '"datacenter" contradicts location "cloud"' });
  // An Azure cluster is in the cloud whatever it calls itself: high data may never be placed on it.
  if (c.location === "on-prem" && c.provider === "azure")
    problems.push({ ...at, field: "provider", message: '"azure" contradicts location "on-prem"' });
  problems.push(...contractProblems(file, c), ...autoscalingProblems(at, c), ...alertingProblems(at, c));
  return problems;
}

/** Scale sets are Azure's: only an Azure cluster autoscales them, each pool with min <= max, once. */
function autoscalingProblems(at: Omit<Problem, "message">, c: ParsedCluster): Problem[] {
  const scaling = c.autoscaling;
  if (!scaling) return [];
  const problems: Problem[] = [];
  if (c.provider !== "azure")
    problems.push({
      ...at,
      field: "autoscaling",
      message: `scales Azure scale sets, but the cluster's provider is "${c.provider}"`,
    });
  const seen = new Set<string>();
  for (const [i, pool] of scaling.pools.entries()) {
    if (pool.min > pool.max)
      problems.push({
        ...at,
        field: `autoscaling.pools.${i}`,
        message: `min ${pool.min} is above max ${pool.max}`,
      });
    if (seen.has(pool.name))
      problems.push({
        ...at,
        field: `autoscaling.pools.${i}.name`,
        message: `"${pool.name}" is listed twice`,
      });
    seen.add(pool.name);
  }
  if (!Object.values(c.externalEndpoints ?? {}).some((e) => e.kind === "cloud-api"))
    problems.push({
      ...at,
      field: "autoscaling",
      message:
        "the autoscaler calls Azure Resource Manager: declare its private endpoint (externalEndpoints, kind cloud-api)",
    });
  return problems;
}

function toCluster(file: string, c: ParsedCluster, { cosignPem, caPem, clusterCaPem }: ClusterKeys): Cluster {
  const stages = [...new Set(c.stages)];
  return {
    name: c.name,
    description: c.description,
    source: file,
    location: c.location,
    provider: c.provider,
    stages,
    production: stages.includes("prod"),
    gpuNodes: c.gpuNodes,
    git: c.git,
    mirrors: c.mirrors,
    images: {
      registry: c.images.registry,
      cosignPublicKeyPath: c.images.cosignPublicKey,
      cosignPublicKeyPem: cosignPem,
      transparencyLog: c.images.transparencyLog,
    },
    pki: {
      caCertificatePath: c.pki.caCertificate,
      caCertificatePem: caPem,
      ...(c.pki.clusterCaCertificate && clusterCaPem
        ? { clusterCa: { path: c.pki.clusterCaCertificate, pem: clusterCaPem } }
        : {}),
    },
    developerGroups: c.developerGroups ?? [],
    externalEndpoints: c.externalEndpoints ?? {},
    network: c.network,
    sops: c.sops,
    hosts: c.hosts ?? [],
    dns: c.dns,
    ...(c.autoscaling ? { autoscaling: c.autoscaling } : {}),
    ...(c.alerting ? { alerting: c.alerting } : {}),
    platform: c.platform,
  };
}

/** Each platform service has exactly one home, an on-prem production cluster. */
function platformHomeProblems(clusters: readonly Cluster[]): Problem[] {
  const problems: Problem[] = [];
  for (const service of PLATFORM_SERVICES) {
    const homes = clusters.filter((c) => c.hosts.includes(service));
    const wrong = homes.filter((c) => c.location !== "on-prem" || !c.production);
    const optional = OPTIONAL_SERVICES.includes(service);
    if ((homes.length === 1 || (optional && homes.length === 0)) && wrong.length === 0) continue;
    const message = `"${service}" must be hosted by ${optional ? "at most" : "exactly"} one on-prem production cluster (found ${homes.map((c) => c.name).join(", ") || "none"})`;
    // Point at the cluster files that claim it; with no home at all, at the list of clusters.
    const at = wrong.length > 0 ? wrong : homes.length > 1 ? homes : [];
    if (at.length === 0)
      problems.push({ file: "clusters/index.ts", field: "hosts", rule: "platform-homes", message });
    for (const c of at)
      problems.push({ file: c.source, cluster: c.name, field: "hosts", rule: "platform-homes", message });
  }
  return problems;
}

/** An external endpoint reached through another cluster's gateway names a cluster of the inventory. */
function gatewayOfProblems(clusters: readonly Cluster[]): Problem[] {
  return clusters.flatMap((c) =>
    Object.entries(c.externalEndpoints)
      .filter(
        ([, endpoint]) =>
          endpoint.gatewayOf &&
          (endpoint.gatewayOf === c.name || !clusters.some((o) => o.name === endpoint.gatewayOf)),
      )
      .map(([name, endpoint]) => ({
        file: c.source,
        cluster: c.name,
        field: `externalEndpoints.${name}.gatewayOf`,
        message: `"${endpoint.gatewayOf}" is not another cluster of the inventory`,
      })),
  );
}
