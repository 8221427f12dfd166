import { FLUX_IMAGES, FLUX_OPERATOR, FLUX_SYNC_NAME } from "../flux/constants.ts";
import { UPSTREAM_ANNOTATION } from "../flux/upstream.ts";
import { vendoredChart } from "../helm/releases.ts";
import { chartDigest } from "../helm/render.ts";
import type { HydratedObject, RenderedRelease } from "../hydrate/index.ts";
import { imagesOf } from "../hydrate/pods.ts";
import type { Cluster } from "../inventory/model.ts";

/** Where synth writes each cluster's mirror manifest. */
export const MIRROR_DIR = "dist/mirror";

type Spec = Record<string, any>;

export interface MirrorManifest {
  readonly cluster: string;
  readonly registry: string;
  /** Every image the hydrated estate runs on the cluster: as pulled, and where the mirror job gets it. */
  readonly images: readonly { image: string; upstream: string; digest?: string }[];
  readonly charts: readonly {
    chart: string;
    version: string;
    pulledFrom: string;
    upstream: string;
    archiveSha256: string;
  }[];
  readonly git: readonly { url: string; ref: string; upstream: string }[];
  /** What the README's bootstrap installs before Flux runs, and the images Flux then deploys. */
  readonly bootstrap: {
    readonly fluxOperator: {
      chart: string;
      version: string;
      upstream: string;
      image: string;
      upstreamImage: string;
    };
    readonly flux: readonly { image: string; upstream: string; digest: string }[];
  };
  /** HelmReleases whose chart could not be rendered: their images are unknown (validate fails on them). */
  readonly unlisted: readonly string[];
}

/**
 * One cluster's mirror manifest, from the hydrated estate: the input of the datacenter job that
 * mirrors each artefact from upstream, verifies upstream signatures and re-signs with the
 * organisation's key (README: The mirror manifest).
 */
export function mirrorManifest(
  root: string,
  cluster: Cluster,
  objects: readonly HydratedObject[],
  releases: readonly RenderedRelease[],
  unrendered: readonly string[],
): MirrorManifest {
  const registry = cluster.images.registry;
  const upstreamOf = (image: string) =>
    image.startsWith(`${registry}/`) ? image.slice(registry.length + 1) : image;
  const flux = FLUX_IMAGES.map(({ image, digest }) => ({
    image: `${registry}/${image}`,
    upstream: image,
    digest,
  }));
  // The Flux controllers' images are listed under bootstrap (the mirror needs them before Flux
  // runs), as pulled: by digest. Anything else the hydrated estate pulls is listed under images.
  const bootstrapped = new Set(flux.map((f) => `${f.image}@${f.digest}`));
  const pulled = new Set<string>();
  // The GPU operator's operands are hydrated as DaemonSets: its ClusterPolicy lists disabled ones too.
  for (const { manifest } of objects)
    if (manifest.kind !== "ClusterPolicy")
      for (const image of imagesOf(manifest)) if (!bootstrapped.has(image)) pulled.add(image);
  const images = [...pulled].sort().map((image) => {
    const digest = image.match(/@(sha256:[0-9a-f]{64})$/)?.[1];
    return { image, upstream: upstreamOf(image), ...(digest ? { digest } : {}) };
  });
  return {
    cluster: cluster.name,
    registry,
    images,
    charts: chartsOf(root, objects, releases),
    git: gitSourcesOf(objects),
    bootstrap: {
      fluxOperator: {
        chart: `${cluster.mirrors.charts}/flux-operator`,
        version: FLUX_OPERATOR.version,
        upstream: FLUX_OPERATOR.chart,
        image: `${registry}/${FLUX_OPERATOR.image}`,
        upstreamImage: FLUX_OPERATOR.image,
      },
      flux,
    },
    unlisted: [...unrendered].sort(),
  };
}

function chartsOf(root: string, objects: readonly HydratedObject[], releases: readonly RenderedRelease[]) {
  const charts = new Map<string, MirrorManifest["charts"][number]>();
  for (const { target, file } of releases) {
    const archive = vendoredChart(root, target.chart, target.version);
    if (typeof archive === "string") continue;
    const hr = objects.find((o) => o.origin === file)?.manifest;
    const ref = (hr?.spec as Spec)?.chartRef as
      | { kind: string; name: string; namespace?: string }
      | undefined;
    const source = objects.find(
      (o) =>
        o.manifest.kind === ref?.kind &&
        o.manifest.metadata?.name === ref?.name &&
        o.manifest.metadata?.namespace === (ref?.namespace ?? hr?.metadata?.namespace),
    )?.manifest;
    const url = String((source?.spec as Spec)?.url ?? "");
    charts.set(`${target.chart}@${target.version}`, {
      chart: target.chart,
      version: target.version,
      pulledFrom: url ? `${url}:${target.version}` : "(not an OCIRepository)",
      upstream: archive.metadata.sources[0] ?? "(Chart.yaml names none)",
      archiveSha256: chartDigest(archive.path),
    });
  }
  return [...charts.values()].sort(
    (a, b) => a.chart.localeCompare(b.chart) || a.version.localeCompare(b.version),
  );
}

function gitSourcesOf(objects: readonly HydratedObject[]) {
  return objects
    .filter((o) => o.manifest.kind === "GitRepository" && o.manifest.metadata?.name !== FLUX_SYNC_NAME)
    .map(({ manifest }) => {
      const spec = (manifest.spec ?? {}) as Spec;
      return {
        url: String(spec.url),
        ref: String(spec.ref?.tag ?? spec.ref?.semver ?? spec.ref?.commit ?? spec.ref?.branch ?? ""),
        upstream: manifest.metadata?.annotations?.[UPSTREAM_ANNOTATION] ?? "(no upstream annotation)",
      };
    })
    .sort((a, b) => a.url.localeCompare(b.url));
}
