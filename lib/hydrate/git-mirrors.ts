import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import type { Manifest } from "../k8s/model-object.ts";
import { ensureKubectl, kustomizeBuild } from "../validate/kubectl.ts";

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
  // The build is cached by everything that goes into it: the vendored files and the Kustomization.
  const hash = createHash("sha256").update(
    JSON.stringify([repository, tag, spec.path, spec.targetNamespace, spec.images, spec.patches]),
  );
  for (const file of manifestFiles(dir)) hash.update(relative(dir, file)).update(readFileSync(file));
  const key = hash.digest("hex").slice(0, 24);
  const cached = join(root, "node_modules/.cache/mirrored-builds", `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, "utf8")) as Manifest[];
  const work = mkdtempSync(join(tmpdir(), "mirrored-"));
  try {
    // kustomize only reads files below the directory it builds: build a copy.
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
    const output = await kustomizeBuild(ensureKubectl(root), work);
    const manifests = parseAllDocuments(output)
      .map((d) => d.toJS() as Manifest | null)
      .filter((m): m is Manifest => !!m?.kind);
    mkdirSync(dirname(cached), { recursive: true });
    writeFileSync(`${cached}.${process.pid}.tmp`, JSON.stringify(manifests));
    renameSync(`${cached}.${process.pid}.tmp`, cached);
    return manifests;
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
