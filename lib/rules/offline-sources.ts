import type { Cluster } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";

/**
 * Offline by construction: an on-prem cluster has no internet, so every chart source, Git source and
 * image it uses comes from the organisation's mirrors named in its inventory (`mirrors`,
 * `images.registry`, and the Gitea of `git.url`). Checked at synth time on what we render and by
 * validate on the hydrated estate (what the charts render too).
 */
const hostOf = (url: string) => url.replace(/^[a-z]+:\/\//, "").split("/")[0] as string;

export function allowedSourceHosts(cluster: Cluster): string[] {
  return [
    ...new Set([
      hostOf(cluster.git.url),
      hostOf(cluster.mirrors.charts),
      hostOf(cluster.mirrors.git),
      hostOf(cluster.images.registry),
    ]),
  ];
}

const SOURCE_KINDS = new Set(["GitRepository", "HelmRepository", "OCIRepository", "Bucket"]);

/** Why a Flux source of an on-prem cluster points outside the mirrors, or nothing. */
export function sourceOutsideMirrors(cluster: Cluster, manifest: Manifest): string | undefined {
  if (cluster.location !== "on-prem" || !SOURCE_KINDS.has(manifest.kind)) return undefined;
  if (!manifest.apiVersion.startsWith("source.toolkit.fluxcd.io/")) return undefined;
  const url = String((manifest.spec as { url?: string } | undefined)?.url ?? "");
  const allowed = allowedSourceHosts(cluster);
  return url && allowed.includes(hostOf(url))
    ? undefined
    : `source ${url} is outside the organisation's mirrors (${allowed.join(", ")}); ${cluster.name} has no internet`;
}

/**
 * Why an image of an on-prem cluster does not come through the registry mirror, or nothing. A chart
 * that prefixes the registry twice (`<registry>/docker.io/<registry>/…`) is caught too.
 */
export function imageOutsideMirror(cluster: Cluster, image: string): string | undefined {
  if (cluster.location !== "on-prem") return undefined;
  const prefix = `${cluster.images.registry}/`;
  const rest = image.startsWith(prefix) ? image.slice(prefix.length) : undefined;
  if (rest === undefined) return `image ${image} is not pulled through ${cluster.images.registry}`;
  if (rest.includes(prefix)) return `image ${image} names the registry twice`;
  return undefined;
}
