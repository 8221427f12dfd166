import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { stringify } from "yaml";
import { cachedJson } from "../cache/json-cache.ts";
import { ensureKubectl, kustomizeBuild } from "../k8s/kubectl.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { parseManifests } from "../k8s/parse-manifests.ts";

/** Vendored copies of the upstream repositories clusters apply from Git mirrors: `<repo>/<tag>/…`. */
export const VENDORED_MANIFESTS = "vendor/manifests";

type Spec = Record<string, any>;

/**
 * What a Flux Kustomization applying a Git mirror (not the estate's own repository) will apply: the
 * vendored copy of that repository at the same tag, built with the real kustomize with the
 * Kustomization's targetNamespace, images and patches, as kustomize-controller builds it. Returns the
 * reason when there is no vendored copy.
 */
export async function buildMirroredKustomization(
  root: string,
  kustomization: Manifest,
  source: Manifest,
): Promise<Manifest[] | string> {
  const spec = (kustomization.spec ?? {}) as Spec;
  const url = String((source.spec as Spec)?.url ?? "");
  const tag = (source.spec as Spec)?.ref?.tag as string | undefined;
  const repository =
    url
      .split("/")
      .pop()
      ?.replace(/\.git$/, "") ?? "";
  const dir = join(root, VENDORED_MANIFESTS, repository, tag ?? "", spec.path ?? ".");
  if (!tag || !existsSync(dir))
    return `applies ${url} at ${tag ?? "(no tag)"}, which is not vendored in ${VENDORED_MANIFESTS}/${repository}/${tag ?? ""}`;
  // The build is cached by everything that goes into it: kustomize, the vendored files, the Kustomization.
  const kubectl = ensureKubectl(root);
  const files = manifestFiles(dir);
  return cachedJson(
    root,
    "mirrored-builds",
    [
      relative(root, kubectl),
      JSON.stringify([repository, tag, spec.path, spec.targetNamespace, spec.images, spec.patches]),
      ...files.flatMap((file) => [relative(dir, file), readFileSync(file)]),
    ],
    () => buildCopy(kubectl, dir, spec),
  );
}

/** kustomize only reads files below the directory it builds: a copy with the Kustomization's own settings. */
async function buildCopy(kubectl: string, dir: string, spec: Spec): Promise<Manifest[]> {
  const work = mkdtempSync(join(tmpdir(), "mirrored-"));
  try {
    const copy = join(work, "source");
    cpSync(dir, copy, { recursive: true });
    const resources = existsSync(join(copy, "kustomization.yaml"))
      ? ["source"]
      : manifestFiles(copy).map((file) => relative(work, file));
    const generated = {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources,
      ...(spec.targetNamespace ? { namespace: spec.targetNamespace } : {}),
      ...(spec.images ? { images: spec.images } : {}),
      ...(spec.patches ? { patches: spec.patches } : {}),
    };
    writeFileSync(join(work, "kustomization.yaml"), stringify(generated));
    return parseManifests(await kustomizeBuild(kubectl, work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Flux generates a kustomization of every manifest below the path when the path has none. */
function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
