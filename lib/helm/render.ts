import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Manifest } from "../k8s/model-object.ts";
import { ensureLayerTool } from "../validate/kubectl.ts";

/** The Kubernetes version Flux's helm-controller reports to charts on the estate's RKE2 clusters. */
export const KUBE_VERSION = "1.35.0";

export interface ReleaseToRender {
  /** Absolute path of the vendored chart archive. */
  readonly chartPath: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

export type RenderResult =
  | { readonly ok: true; readonly manifests: readonly Manifest[] }
  | { readonly ok: false; readonly message: string };

/**
 * `helm template` with the real helm 4, as helm-controller renders an install: release name, target
 * namespace, values (checked by helm against the chart's values.schema.json), hooks included, test
 * hooks left out, CRDs included. Results are cached under node_modules/.cache/helm-renders by the
 * chart archive's digest, the values and the release, so an unchanged release is never rendered twice.
 */
export async function renderRelease(root: string, release: ReleaseToRender): Promise<RenderResult> {
  const helm = ensureLayerTool(root, "helm");
  const values = JSON.stringify(release.values);
  const key = createHash("sha256")
    .update(readFileSync(release.chartPath))
    .update(
      `\0${relative(root, helm)}\0${KUBE_VERSION}\0${release.releaseName}\0${release.namespace}\0${values}`,
    )
    .digest("hex");
  const cacheDir = join(root, "node_modules/.cache/helm-renders");
  const cached = join(cacheDir, `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, "utf8")) as RenderResult;

  const result = await helmTemplate(helm, release, values);
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${cached}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(result));
  renameSync(partial, cached);
  return result;
}

function helmTemplate(helm: string, release: ReleaseToRender, values: string): Promise<RenderResult> {
  const args = [
    "template",
    release.releaseName,
    release.chartPath,
    "--namespace",
    release.namespace,
    "--values",
    "-",
    "--skip-tests",
    "--include-crds",
    "--kube-version",
    KUBE_VERSION,
  ];
  return new Promise((resolve) => {
    const child = execFile(helm, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        resolve({ ok: false, message: helmMessage(stderr || error.message) });
        return;
      }
      const manifests = parseAllDocuments(stdout)
        .map((doc) => doc.toJS() as Manifest | null)
        .filter((m): m is Manifest => !!m && typeof m === "object" && !!m.kind);
      resolve({ ok: true, manifests });
    });
    child.stdin?.end(values);
  });
}

/** helm's own words, without its advice to re-run with --debug. */
function helmMessage(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => line.trim() && !line.includes("--debug flag"))
    .map((line) => line.replace(/^Error: /, ""))
    .join(" ");
}
