import type { z } from "zod";
import type { Problem } from "../errors.ts";
import { EstateError } from "../errors.ts";
import { credentialProblems, privateKeyProblems } from "../rules/credentials.ts";
import { PLACEMENT_RULES } from "../rules/index.ts";
import { checkForwards, checkRouteCollisions } from "../rules/routes.ts";
import { checkPlacements } from "../rules/rule.ts";
import { type KeyReader, readCaCertificate, readCosignKey } from "./keys.ts";
import type { Cluster, Estate } from "./model.ts";
import { ClusterInputSchema, PLATFORM_SERVICES } from "./schema.ts";
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
): Estate {
  const problems: Problem[] = [];
  const clusters: Cluster[] = [];
  const seenNames = new Map<string, string>();
  const seenDomains = new Map<string, string>();

  for (const { file, input } of [...sources, ...workloadSources])
    problems.push(...privateKeyProblems(file, input));
  for (const { file, input } of sources) {
    const rawName =
      typeof input === "object" && input !== null && "name" in input && typeof input.name === "string"
        ? input.name
        : undefined;
    const parsed = ClusterInputSchema.safeParse(input);
    if (!parsed.success) {
      problems.push(...zodProblems(file, rawName, parsed.error));
      continue;
    }
    const c = parsed.data;
    const local: Problem[] = [];
    if (c.name !== expectedName(file)) {
      local.push({
        file,
        cluster: c.name,
        field: "name",
        message: `does not match its file name; expected "${expectedName(file)}" (the file is named after the cluster)`,
      });
    }
    const previous = seenNames.get(c.name);
    if (previous) {
      local.push({ file, cluster: c.name, field: "name", message: `is already used by ${previous}` });
    }
    const domainOwner = seenDomains.get(c.dns.domain);
    if (domainOwner) {
      local.push({
        file,
        cluster: c.name,
        field: "dns.domain",
        message: `is already used by cluster "${domainOwner}"`,
      });
    }
    const stages = [...new Set(c.stages)];
    if (stages.length !== c.stages.length) {
      local.push({ file, cluster: c.name, field: "stages", message: "lists a stage twice" });
    }
    if (stages.includes("prod") && stages.length > 1) {
      local.push({
        file,
        cluster: c.name,
        field: "stages",
        message: "mixes prod with non-prod stages; production runs on its own cluster (OTAP isolation)",
      });
    }
    if (stages.includes("prod") && (c.developerGroups ?? []).length > 0) {
      local.push({
        file,
        cluster: c.name,
        field: "developerGroups",
        rule: "no-human-access-in-prod",
        message: "production clusters grant no human access; Flux is the only writer",
      });
    }
    if (c.location === "cloud" && c.provider === "datacenter") {
      local.push({
        file,
        cluster: c.name,
        field: "provider",
        message: '"datacenter" contradicts location "cloud"',
      });
    }
    const pem = readCosignKey(file, c.name, c.images.cosignPublicKey, readKey);
    if (typeof pem !== "string") local.push(pem);
    const ca = readCaCertificate(file, c.name, c.pki.caCertificate, readKey);
    if (typeof ca !== "string") local.push(ca);

    seenNames.set(c.name, file);
    seenDomains.set(c.dns.domain, c.name);
    if (local.length > 0 || typeof pem !== "string" || typeof ca !== "string") {
      problems.push(...local);
      continue;
    }
    clusters.push({
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
        cosignPublicKeyPem: pem,
        transparencyLog: c.images.transparencyLog,
      },
      pki: { caCertificatePath: c.pki.caCertificate, caCertificatePem: ca },
      developerGroups: c.developerGroups ?? [],
      externalEndpoints: c.externalEndpoints ?? {},
      network: c.network,
      sops: c.sops,
      hosts: c.hosts ?? [],
      dns: c.dns,
    });
  }
  if (sources.length === 0) problems.push({ file: "clusters/index.ts", message: "lists no cluster" });
  for (const service of PLATFORM_SERVICES) {
    const homes = clusters.filter((c) => c.hosts.includes(service));
    const wrong = homes.filter((c) => c.location !== "on-prem" || !c.production);
    if (homes.length !== 1 || wrong.length > 0) {
      const message = `"${service}" must be hosted by exactly one on-prem production cluster (found ${homes.map((c) => c.name).join(", ") || "none"})`;
      // Point at the cluster files that claim it; with no home at all, at the list of clusters.
      const at = wrong.length > 0 ? wrong : homes.length > 1 ? homes : [];
      if (at.length === 0)
        problems.push({ file: "clusters/index.ts", field: "hosts", rule: "platform-homes", message });
      for (const c of at)
        problems.push({ file: c.source, cluster: c.name, field: "hosts", rule: "platform-homes", message });
    }
  }
  for (const c of clusters)
    for (const [name, endpoint] of Object.entries(c.externalEndpoints))
      if (
        endpoint.gatewayOf &&
        (endpoint.gatewayOf === c.name || !clusters.some((o) => o.name === endpoint.gatewayOf))
      )
        problems.push({
          file: c.source,
          cluster: c.name,
          field: `externalEndpoints.${name}.gatewayOf`,
          message: `"${endpoint.gatewayOf}" is not another cluster of the inventory`,
        });
  if (problems.length > 0) throw new EstateError(problems);

  const { workloads, placements, problems: workloadProblems } = resolveWorkloads(workloadSources, clusters);
  problems.push(
    ...workloadProblems,
    ...workloads.flatMap(credentialProblems),
    ...checkPlacements(PLACEMENT_RULES, placements),
    ...checkForwards({ clusters }, placements),
    ...checkRouteCollisions(placements),
  );
  if (problems.length > 0) throw new EstateError(problems);
  return { clusters, workloads, placements, secrets: [] };
}
