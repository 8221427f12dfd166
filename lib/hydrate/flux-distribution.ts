import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { FLUX_IMAGES, FLUX_VERSION } from "../flux/constants.ts";
import type { Manifest } from "../k8s/model-object.ts";

type Spec = Record<string, any>;

/** Where the Flux distribution's upstream files are vendored (vendor/SOURCES.md, operators/). */
export const FLUX_DISTRIBUTION_DIR = `vendor/operators/flux-operator/v${FLUX_VERSION}`;

/** The controllers a FluxInstance without `components` gets (the operator's default set). */
const DEFAULT_COMPONENTS = [
  "source-controller",
  "kustomize-controller",
  "helm-controller",
  "notification-controller",
];

/**
 * What the Flux Operator (controlplaneio-fluxcd/flux-operator v0.58.1, internal/builder) deploys from
 * a FluxInstance, as far as the proof needs it: each listed controller's Deployment as its release
 * builds it (the controller's `config/manager/deployment.yaml`, flux2's base patch and labels), in the
 * instance's namespace, its image rewritten to `distribution.registry` (the operator's default,
 * ghcr.io/fluxcd, when unset) with the digest the operator pins, with the Services the release ships
 * beside it; and, unless `cluster.networkPolicy` is false, flux2's three NetworkPolicies
 * (`policies.yaml`). The operator's argument patches (log level, cluster domain) change no pod the
 * proof judges.
 */
export function fluxDistribution(
  root: string,
  instance: Manifest,
): { objects: Manifest[]; problems: string[] } {
  const spec = (instance.spec ?? {}) as Spec;
  const namespace = instance.metadata?.namespace as string;
  const problems: string[] = [];
  const dir = join(root, FLUX_DISTRIBUTION_DIR);
  if (spec.distribution?.version !== FLUX_VERSION || !existsSync(dir))
    return {
      objects: [],
      problems: [`cannot prove Flux ${spec.distribution?.version}: not vendored in ${FLUX_DISTRIBUTION_DIR}`],
    };
  const objects: Manifest[] = [];
  for (const component of (spec.components as string[] | undefined) ?? DEFAULT_COMPONENTS) {
    const registry = (spec.distribution.registry as string | undefined) ?? "ghcr.io/fluxcd";
    const deployment = controllerDeployment(dir, component, registry, problems);
    if (deployment) objects.push(inNamespace(deployment, namespace));
    for (const service of controllerServices(dir, component)) objects.push(inNamespace(service, namespace));
  }
  if (spec.cluster?.networkPolicy !== false)
    for (const name of ["allow-egress", "allow-scraping", "allow-webhooks"])
      objects.push(inNamespace(readYaml(join(dir, `flux2/manifests/policies/${name}.yaml`)), namespace));
  return { objects, problems };
}

function controllerDeployment(
  dir: string,
  component: string,
  registry: string,
  problems: string[],
): Manifest | undefined {
  const file = join(dir, component, "config/manager/deployment.yaml");
  const pinned = FLUX_IMAGES.find((i) => i.image.split("/").pop()?.startsWith(`${component}:`));
  if (!existsSync(file) || !pinned) {
    problems.push(`cannot prove the ${component} the Flux Operator deploys: not vendored`);
    return undefined;
  }
  const deployment = readYaml(file) as Spec;
  const base = join(dir, "flux2/manifests/bases", component);
  for (const op of readYaml(join(base, "patch.yaml")) as unknown as Spec[]) {
    const problem = addOperation(deployment, op);
    if (problem) problems.push(`cannot prove ${component}: ${problem}`);
  }
  const { labels } = readYaml(join(base, "labels.yaml")) as Spec;
  deployment.metadata.labels = { ...deployment.metadata.labels, ...labels };
  deployment.spec.template.metadata.labels = { ...deployment.spec.template.metadata.labels, ...labels };
  const [, tag] = (pinned.image.split("/").pop() as string).split(":");
  for (const container of deployment.spec.template.spec.containers as Spec[])
    if (container.image === `fluxcd/${component}`)
      container.image = `${registry}/${component}:${tag}@${pinned.digest}`;
  return deployment as Manifest;
}

/** The Services a controller's release ships beside its Deployment (`config/manager/service.yaml`), if any. */
function controllerServices(dir: string, component: string): Manifest[] {
  const file = join(dir, component, "config/manager/service.yaml");
  return existsSync(file) ? vendoredDocuments(file) : [];
}

/** An RFC 6902 `add` (the only operation flux2's base patches use); anything else cannot be proven. */
function addOperation(target: Spec, op: Spec): string | undefined {
  if (op.op !== "add" || typeof op.path !== "string") return `patch operation ${op.op} ${op.path}`;
  const keys = (op.path as string).split("/").slice(1);
  const last = keys.pop() as string;
  let parent: any = target;
  for (const key of keys) parent = parent?.[Array.isArray(parent) ? Number(key) : key];
  if (parent === undefined) return `patch path ${op.path} does not exist`;
  if (!Array.isArray(parent)) parent[last] = op.value;
  else if (last === "-") parent.push(op.value);
  else if (/^\d+$/.test(last) && Number(last) <= parent.length) parent.splice(Number(last), 0, op.value);
  else return `patch path ${op.path} is not an index of its list`;
  return undefined;
}

const readYaml = (file: string): Manifest => vendoredDocuments(file)[0] as Manifest;

/** A vendored file's documents, parsed once per process (every cluster's FluxInstance reads them); a fresh copy each time, for the caller to change. */
function vendoredDocuments(file: string): Manifest[] {
  let documents = PARSED.get(file);
  if (!documents) {
    documents = parseAllDocuments(readFileSync(file, "utf8")).map((doc) => doc.toJS() as Manifest);
    PARSED.set(file, documents);
  }
  return structuredClone(documents);
}
const PARSED = new Map<string, Manifest[]>();

const inNamespace = (manifest: Manifest, namespace: string): Manifest => ({
  ...manifest,
  metadata: { ...manifest.metadata, name: manifest.metadata?.name as string, namespace },
});
