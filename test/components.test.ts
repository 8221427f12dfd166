import { beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import { apiServerLinks } from "../lib/connections/platform.ts";
import { EstateError } from "../lib/errors.ts";
import { type EstateSources, estateFromSources, loadSources } from "../lib/estate/load.ts";
import { vendoredChart } from "../lib/helm/releases.ts";
import { chartDefaults, unknownValueKeys } from "../lib/helm/values-keys.ts";
import { renderReleases } from "../lib/hydrate/index.ts";
import type { PinnedComponent } from "../lib/inventory/component.ts";
import { pods } from "../lib/inventory/connection.ts";
import { kubeStateValues } from "../lib/observability/kube-state.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { releaseValuesProblems } from "../lib/validate/release-values.ts";
import { scaleDownProblems } from "../lib/validate/scale-down.ts";
import { objectsOf, REPO, renderFixtureEstate } from "./helpers.ts";

/**
 * A chart added the way the README says: one descriptor (here in memory, with a chart that is
 * already vendored), pinned in the component list. Everything else must follow from it.
 */
const ADDED: PinnedComponent = {
  name: "extra-state-metrics",
  chart: "kube-state-metrics",
  version: "8.4.0",
  namespace: "extra-metrics",
  ownNamespace: { holds: "a second kube-state-metrics, for this test", podSecurity: "restricted" },
  layer: "apps",
  runsOn: (cluster) => cluster.name === "rke2-cloud",
  values: (cluster) => ({ ...kubeStateValues(cluster), extraThing: { any: "key" } }),
  freeFormValues: [{ path: "extraThing", why: "a map the chart would pass through whole" }],
  connections: (cluster) => [
    apiServerLinks(cluster).to(
      "extra-state-metrics",
      pods("extra-metrics", { "app.kubernetes.io/name": "kube-state-metrics" }, "extra-state-metrics"),
      "it lists the API's objects",
    ),
  ],
  exceptions: [
    {
      name: "extra-metrics-test",
      namespace: "extra-metrics",
      policies: ["require-requests-limits"],
      reason: "shows that a component's exceptions are rendered",
    },
  ],
};

describe("a platform component added as one descriptor", () => {
  let root: string;
  let sources: EstateSources;
  let tree: FileTree;
  beforeAll(async () => {
    ({ root } = await renderFixtureEstate());
    sources = await loadSources(root);
    const estate = estateFromSources(root, structuredClone(sources), [...PLATFORM_COMPONENTS, ADDED]);
    tree = await synthesize(estate, root, buildCluster);
  });

  const find = (cluster: string, kind: string, namespace: string, name: string) =>
    objectsOf(tree).find(
      (o) =>
        o.cluster === cluster &&
        o.manifest.kind === kind &&
        (o.manifest.metadata?.namespace ?? "") === namespace &&
        o.manifest.metadata?.name === name,
    )?.manifest;

  it("is installed where it runs, in its namespace at its level, from the pinned chart", () => {
    const release = find("rke2-cloud", "HelmRelease", "extra-metrics", "extra-state-metrics");
    expect((release?.spec as any)?.values?.extraThing).toEqual({ any: "key" });
    const source = find("rke2-cloud", "OCIRepository", "extra-metrics", "extra-state-metrics");
    expect((source?.spec as any)?.ref).toEqual({ tag: "8.4.0" });
    expect((source?.spec as any)?.url).toMatch(/\/kube-state-metrics$/);
    const namespace = find("rke2-cloud", "Namespace", "", "extra-metrics");
    expect(namespace?.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(find("rke2-core", "HelmRelease", "extra-metrics", "extra-state-metrics")).toBeUndefined();
  });

  it("gets its connections as NetworkPolicies, default deny, and its PolicyExceptions", () => {
    expect(find("rke2-cloud", "NetworkPolicy", "extra-metrics", "default-deny")).toBeDefined();
    expect(
      find("rke2-cloud", "NetworkPolicy", "extra-metrics", "extra-state-metrics-to-api-server-egress"),
    ).toBeDefined();
    const exception = find("rke2-cloud", "PolicyException", "kyverno", "extra-metrics-test");
    expect(exception?.metadata?.annotations?.["waterschap.example/reason"]).toMatch(/rendered/);
  });

  it("reserves its namespace: no workload group may be named into it", () => {
    const edited = structuredClone(sources) as any;
    const api = edited.catalogue.flatMap((f: any) => f.input).find((w: any) => w.name === "meetdata-api");
    api.group = "extra-metrics";
    expect(() => estateFromSources(root, edited, [...PLATFORM_COMPONENTS, ADDED])).toThrow(EstateError);
    expect(() => estateFromSources(root, edited, PLATFORM_COMPONENTS)).not.toThrow();
  });

  it("is judged by validate with its own free-form values and singletons", async () => {
    const own = new Map([...tree].filter(([path]) => path.includes("/rke2-cloud/apps/extra-metrics/")));
    const { releases, problems } = await renderReleases(root, own);
    expect(problems).toEqual([]);
    expect(await releaseValuesProblems(root, releases, [...PLATFORM_COMPONENTS, ADDED])).toEqual([]);
    const strict = { ...ADDED, freeFormValues: [] };
    expect((await releaseValuesProblems(root, releases, [strict])).map((p) => p.message)).toEqual([
      'values key "extraThing" does not exist in chart kube-state-metrics 8.4.0',
    ]);

    const { estate } = await renderFixtureEstate();
    const cloud = estate.clusters.find((c) => c.name === "rke2-cloud");
    if (!cloud) throw new Error("the fixture has no rke2-cloud");
    const objects = (releases[0]?.objects ?? []).map((manifest) => ({
      cluster: cloud.name,
      origin: "helm",
      manifest,
    }));
    const deployment = objects.find((o) => o.manifest.kind === "Deployment")?.manifest.metadata
      ?.name as string;
    expect(scaleDownProblems(cloud, objects, [ADDED]).join("\n")).toContain(
      `Deployment extra-metrics/${deployment}`,
    );
    const singleton = { ...ADDED, singletons: { [deployment]: "one replica on purpose, for this test" } };
    expect(scaleDownProblems(cloud, objects, [singleton])).toEqual([]);
  });
});

describe("the component descriptors", () => {
  it("are refused before anything renders when a pin is not exact, a release is listed twice or a namespace has no one row", async () => {
    const { root } = await renderFixtureEstate();
    const sources = await loadSources(root);
    const refusal = (components: readonly PinnedComponent[]) => {
      try {
        estateFromSources(root, structuredClone(sources), components);
      } catch (error) {
        if (error instanceof EstateError) return error.message;
        throw error;
      }
      return "accepted";
    };
    expect(refusal(PLATFORM_COMPONENTS)).toBe("accepted");
    const kyverno = PLATFORM_COMPONENTS.find((c) => c.name === "kyverno") as PinnedComponent;
    expect(
      refusal([...PLATFORM_COMPONENTS.filter((c) => c !== kyverno), { ...kyverno, version: "latest" }]),
    ).toContain(
      'charts/components/index.ts: field "kyverno": chart kyverno is pinned to "latest", not an exact version',
    );
    expect(refusal([...PLATFORM_COMPONENTS, kyverno])).toContain("release kyverno/kyverno is listed twice");
    expect(refusal([...PLATFORM_COMPONENTS, { ...ADDED, ownNamespace: undefined }])).toContain(
      'namespace "extra-metrics" has 0 rows in the namespace registry',
    );
  });

  it("list as free-form only keys the values check would otherwise refuse (each entry still needed)", () => {
    const stale = PLATFORM_COMPONENTS.flatMap((component) =>
      (component.freeFormValues ?? [])
        .filter(({ path }) => !refusedWithout(component, path))
        .map(({ path }) => `${component.name}: ${path}`),
    );
    expect(stale).toEqual([]);
    // The check can tell: a listed scalar key of the chart needs no entry, an unlisted one does.
    const kubeState = { ...ADDED, freeFormValues: [] };
    expect(refusedWithout(kubeState, "replicas")).toBe(false);
    expect(refusedWithout(kubeState, "noSuchKey")).toBe(true);
  });
});

/** Whether the values check refuses a key under `path` when the component does not list it as free-form. */
function refusedWithout(component: PinnedComponent, path: string): boolean {
  const chart = vendoredChart(REPO, component.chart, component.version);
  if (typeof chart === "string") throw new Error(chart);
  const probe = path.split(".").reduceRight<unknown>((inner, key) => ({ [key]: inner }), { probe: 1 });
  return unknownValueKeys(probe as Record<string, unknown>, chartDefaults(chart.files)).length > 0;
}
