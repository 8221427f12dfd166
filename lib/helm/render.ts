import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { relative } from "node:path";
import { cachedJson } from "../cache/json-cache.ts";
import { ensureLayerTool } from "../k8s/kubectl.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { parseManifests } from "../k8s/parse-manifests.ts";

/** The Kubernetes version Flux's helm-controller reports to charts on the estate's RKE2 clusters. */
export const KUBE_VERSION = "1.35.0";

export interface ReleaseToRender {
  /** Absolute path of the vendored chart archive. */
  readonly chartPath: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
  /** False renders without the chart's hooks (`--no-hooks`), as a release that disables them all. */
  readonly hooks?: boolean;
}

export type RenderResult =
  | { readonly ok: true; readonly manifests: readonly Manifest[] }
  | { readonly ok: false; readonly message: string };

/**
 * `helm template` with the real helm 4, as helm-controller renders an install: release name, target
 * namespace, values (checked by helm against the chart's values.schema.json), hooks included unless
 * the release disables every one, test hooks left out, CRDs included. Results are cached under node_modules/.cache/helm-renders by the
 * chart archive's digest, the values and the release, so an unchanged release is never rendered twice.
 */
export async function renderRelease(root: string, release: ReleaseToRender): Promise<RenderResult> {
  const helm = ensureLayerTool(root, "helm");
  const values = JSON.stringify(release.values);
  return cachedJson(
    root,
    "helm-renders",
    [
      chartDigest(release.chartPath),
      relative(root, helm),
      KUBE_VERSION,
      release.releaseName,
      release.namespace,
      values,
      release.hooks === false ? "no-hooks" : "hooks",
    ],
    () => helmTemplate(helm, release, values),
  );
}

const chartDigests = new Map<string, string>();

/** A chart archive's digest, read once per process and archive version (path, size, modification time). */
export function chartDigest(path: string): string {
  const { size, mtimeMs } = statSync(path);
  const key = `${path}\0${size}\0${mtimeMs}`;
  let digest = chartDigests.get(key);
  if (!digest) {
    digest = createHash("sha256").update(readFileSync(path)).digest("hex");
    chartDigests.set(key, digest);
  }
  return digest;
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
    ...(release.hooks === false ? ["--no-hooks"] : []),
  ];
  return new Promise((resolve) => {
    const child = execFile(helm, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        resolve({ ok: false, message: helmMessage(stderr || error.message) });
        return;
      }
      resolve({ ok: true, manifests: parseManifests(stdout) });
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
