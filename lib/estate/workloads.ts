import type { z } from "zod";
import type { Problem } from "../errors.ts";
import { clientIdOf } from "../identity/clients.ts";
import type { Cluster, Placement, Workload } from "../inventory/model.ts";
import { STAGES, type Stage } from "../inventory/schema.ts";
import { WorkloadInputSchema } from "../inventory/workload-schema.ts";
import { isReservedNamespace } from "../namespaces/registry.ts";
import { endpointsOn } from "../platform.ts";
import { closest } from "../suggest.ts";

export interface WorkloadSource {
  readonly file: string;
  readonly input: unknown;
}

/** The namespace of a workload group in one environment: `<group>` on prod, `<stage>-<group>` elsewhere. */
export function namespaceFor(cluster: Cluster, stage: Stage, group: string): string {
  return cluster.production ? group : `${stage}-${group}`;
}

export function imageRef(image: string, version: string): string {
  return version.startsWith("sha256:") ? `${image}@${version}` : `${image}:${version}`;
}

/**
 * Parses the workload catalogue and places every workload in its environments. Problems name the
 * file, workload and field; the rules in lib/rules/ then judge each placement.
 */
export function resolveWorkloads(
  sources: readonly WorkloadSource[],
  clusters: readonly Cluster[],
  reserved: readonly string[],
): { workloads: Workload[]; placements: Placement[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const workloads: Workload[] = [];
  const placements: Placement[] = [];
  const byName = new Map<string, Workload>();
  const clusterByName = new Map(clusters.map((c) => [c.name, c]));
  // Workloads whose definition failed: already reported once, not again as "does not exist".
  const invalid = new Set<string>();

  for (const { file, input } of sources) {
    if (!Array.isArray(input)) problems.push({ file, message: "must export default an array of workloads" });
    for (const [index, raw] of (Array.isArray(input) ? input : []).entries()) {
      const parsed = parseWorkload(file, raw, index, invalid, problems);
      if (!parsed) continue;
      if (byName.has(parsed.name)) {
        problems.push({
          file,
          workload: parsed.name,
          field: "name",
          rule: "unique-names",
          message: `is already defined in ${byName.get(parsed.name)?.source}`,
        });
        continue;
      }
      const workload = toWorkload(parsed, file);
      byName.set(workload.name, workload);
      workloads.push(workload);
      placements.push(...placeWorkload(workload, parsed.deploy, { clusterByName, reserved }, problems));
    }
  }
  problems.push(...checkFlows(placements, byName, invalid));
  problems.push(...checkJwtCallers(placements, byName, invalid));
  return { workloads, placements, problems };
}

type ParsedWorkload = z.output<typeof WorkloadInputSchema>;

/** One catalogue entry through its schema; a failure is reported per field and remembered by name. */
function parseWorkload(
  file: string,
  raw: unknown,
  index: number,
  invalid: Set<string>,
  problems: Problem[],
): ParsedWorkload | undefined {
  const parsed = WorkloadInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const name = (raw as { name?: unknown })?.name;
  const workload = typeof name === "string" ? name : `#${index}`;
  // Also under the name it was probably meant to have (Meetdata_API -> meetdata-api).
  invalid.add(workload).add(workload.toLowerCase().replace(/[^a-z0-9-]/g, "-"));
  for (const issue of parsed.error.issues)
    problems.push({ file, workload, field: issue.path.join(".") || "(root)", message: issue.message });
  return undefined;
}

function toWorkload(w: ParsedWorkload, file: string): Workload {
  return {
    name: w.name,
    description: w.description,
    group: w.group,
    image: w.image,
    dataLevel: w.dataLevel,
    port: w.port,
    resources: w.resources,
    ...(w.gpu ? { gpu: w.gpu } : {}),
    replicas: w.replicas ?? 1,
    flows: w.flows ?? [],
    ...(w.health ? { health: w.health } : {}),
    routes: w.routes ?? [],
    rollout: w.rollout ?? {},
    ...(w.autoscale ? { autoscale: w.autoscale } : {}),
    ...(w.models ? { models: w.models } : {}),
    ...(w.storage ? { storage: w.storage } : {}),
    egress: w.egress ?? [],
    anonymises: w.anonymises ?? false,
    secretEnv: w.secretEnv ?? {},
    config: w.config ?? {},
    env: w.env ?? {},
    args: w.args ?? [],
    source: file,
  };
}

/** The environments a workload deploys to, each on a cluster that runs that stage, in its namespace. */
function placeWorkload(
  workload: Workload,
  deploy: ParsedWorkload["deploy"],
  { clusterByName, reserved }: { clusterByName: ReadonlyMap<string, Cluster>; reserved: readonly string[] },
  problems: Problem[],
): Placement[] {
  const file = workload.source;
  const placements: Placement[] = [];
  for (const stage of STAGES) {
    const target = deploy[stage];
    if (!target) continue;
    const where = { file, workload: workload.name, field: `deploy.${stage}.cluster` };
    const cluster = clusterByName.get(target.cluster);
    if (!cluster) {
      const suggestion = closest(target.cluster, [...clusterByName.keys()]);
      problems.push({
        ...where,
        rule: "known-cluster",
        message: `cluster "${target.cluster}" does not exist${suggestion}`,
      });
      continue;
    }
    if (!cluster.stages.includes(stage)) {
      problems.push({
        ...where,
        cluster: cluster.name,
        rule: "otap-stage",
        message: `environment "${stage}" does not run on cluster "${cluster.name}" (it runs ${cluster.stages.join(", ")})`,
      });
      continue;
    }
    const namespace = namespaceFor(cluster, stage, workload.group);
    const namespaceProblem = namespaceProblemOf(cluster, stage, namespace, reserved);
    if (namespaceProblem) {
      problems.push({
        file,
        cluster: cluster.name,
        workload: workload.name,
        field: "group",
        rule: "namespaces",
        message: namespaceProblem,
      });
      continue;
    }
    const imageReference = imageRef(workload.image, target.version);
    placements.push({
      workload,
      stage,
      cluster,
      namespace,
      version: target.version,
      imageRef: imageReference,
    });
  }
  if (!STAGES.some((s) => deploy[s]))
    problems.push({ file, workload: workload.name, field: "deploy", message: "deploys to no environment" });
  return placements;
}

/** Why a workload's namespace cannot be: too long, or one the platform owns on that cluster. */
function namespaceProblemOf(
  cluster: Cluster,
  stage: Stage,
  namespace: string,
  reserved: readonly string[],
): string | undefined {
  if (namespace.length > 63)
    return `gives namespace "${namespace}" in ${stage}, ${namespace.length} characters; a namespace has at most 63`;
  if (isReservedNamespace(cluster, namespace, reserved))
    return `gives namespace "${namespace}" on ${cluster.name}, which the platform owns; choose another group`;
  return undefined;
}

/** Flows resolve to a workload in the same environment on the same cluster. */
function checkFlows(
  placements: readonly Placement[],
  byName: ReadonlyMap<string, Workload>,
  invalid: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  for (const { workload, cluster, stage } of placements) {
    for (const [i, flow] of workload.flows.entries()) {
      if (flow.stages && !flow.stages.includes(stage)) continue;
      const target = byName.get(flow.to);
      const where = { file: workload.source, workload: workload.name, field: `flows.${i}.to` };
      if (!target && endpointsOn(cluster, stage).some((e) => e.name === flow.to)) continue;
      if (!target && invalid.has(flow.to)) continue;
      if (!target) {
        problems.push({
          ...where,
          rule: "flow-target",
          message: `workload "${flow.to}" does not exist${closest(flow.to, [...byName.keys()])}`,
        });
        continue;
      }
      if (!placements.some((p) => p.workload === target && p.cluster === cluster && p.stage === stage))
        problems.push({
          ...where,
          cluster: cluster.name,
          rule: "otap-isolation",
          message: `"${flow.to}" does not run in ${stage} on ${cluster.name}; flows never cross environments or clusters (cross-cluster traffic goes through the gateways)`,
        });
    }
  }
  return problems;
}

/**
 * A route's JWT callers are workloads that run in every environment the route does; its public
 * clients are no workload's client (a token of one would pass as the other).
 */
function checkJwtCallers(
  placements: readonly Placement[],
  byName: ReadonlyMap<string, Workload>,
  invalid: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  const workloadClients = new Set(placements.map((p) => clientIdOf(p)));
  for (const { workload } of placements)
    for (const [i, route] of workload.routes.entries())
      for (const [j, client] of (route.jwt?.publicClients ?? []).entries())
        if (workloadClients.has(client))
          problems.push({
            file: workload.source,
            workload: workload.name,
            field: `routes.${i}.jwt.publicClients.${j}`,
            rule: "jwt-caller",
            message: `"${client}" is a workload's own client; a public client needs a name of its own`,
          });
  for (const { workload, stage } of placements)
    for (const [i, route] of workload.routes.entries())
      for (const [j, caller] of (route.jwt?.callers ?? []).entries()) {
        const field = `routes.${i}.jwt.callers.${j}`;
        const known = byName.has(caller);
        if (invalid.has(caller)) continue;
        if (known && placements.some((p) => p.workload.name === caller && p.stage === stage)) continue;
        problems.push({
          file: workload.source,
          workload: workload.name,
          field,
          rule: "jwt-caller",
          message: known
            ? `"${caller}" does not run in ${stage}, where this route does`
            : `workload "${caller}" does not exist${closest(caller, [...byName.keys()])}`,
        });
      }
  return problems;
}
