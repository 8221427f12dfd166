import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Estate } from "../lib/inventory/model.ts";
import { isClusterScoped } from "../lib/k8s/scope.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { find, objectsOf, renderFixtureEstate, type TreeObject } from "./helpers.ts";

let estate: Estate;
let tree: FileTree;
let objects: TreeObject[];

beforeAll(async () => {
  ({ estate, tree } = await renderFixtureEstate());
  objects = objectsOf(tree);
});

type Spec = Record<string, any>;
const spec = (o: TreeObject | undefined): Spec => (o?.manifest.spec ?? {}) as Spec;

describe("each cluster's Flux entry", () => {
  it("is synced by one FluxInstance built from the inventory, which Flux can never prune", () => {
    for (const cluster of estate.clusters) {
      const [instance, ...others] = objects.filter(
        (o) => o.cluster === cluster.name && o.manifest.kind === "FluxInstance",
      );
      expect(others).toHaveLength(0);
      expect(instance?.layer).toBe("entry");
      expect(instance?.manifest.metadata?.annotations?.["kustomize.toolkit.fluxcd.io/prune"]).toBe(
        "disabled",
      );
      expect(spec(instance).sync).toMatchObject({
        kind: "GitRepository",
        url: cluster.git.url,
        ref: `refs/heads/${cluster.git.branch}`,
        path: `dist/clusters/${cluster.name}`,
      });
      expect(spec(instance).distribution.registry.startsWith(`${cluster.images.registry}/`)).toBe(true);
      const entryKustomization = parse(
        tree.get(`dist/clusters/${cluster.name}/kustomization.yaml`) as string,
      );
      expect(entryKustomization.resources).toContain("fluxinstance-flux.yaml");
    }
  });

  it("shows Flux only dist/: the sync source ignores everything else", () => {
    for (const cluster of estate.clusters) {
      const [instance] = find(objects, cluster.name, "FluxInstance", "flux");
      const [patch] = spec(instance).kustomize.patches;
      expect(patch.target).toEqual({ kind: "GitRepository", name: "flux-system" });
      const [op] = parse(patch.patch);
      expect(op).toEqual({ op: "add", path: "/spec/ignore", value: "/*\n!/dist/\n" });
    }
  });

  it("layers controllers -> configs -> apps with deliberate timing, wait and prune", () => {
    for (const cluster of estate.clusters) {
      const layers = ["controllers", "configs", "apps"].map(
        (name) => find(objects, cluster.name, "Kustomization", name)[0],
      );
      layers.forEach((layer, i) => {
        const s = spec(layer);
        expect(layer?.layer).toBe("entry");
        expect(s.path).toBe(`./dist/clusters/${cluster.name}/${layer?.manifest.metadata?.name}`);
        expect(s.sourceRef).toEqual({ kind: "GitRepository", name: "flux-system" });
        expect(s).toMatchObject({ prune: true, wait: true });
        for (const field of ["interval", "retryInterval", "timeout"]) expect(s[field]).toMatch(/^\d+[smh]$/);
        const previous = layers[i - 1]?.manifest.metadata?.name;
        // controllers waits for the Gateway API CRDs, every later layer for the one before it, and
        // on the identity home apps also for the Keycloak operator (its CRDs before the Keycloak CR)
        const operator = layer?.manifest.metadata?.name === "apps" && cluster.hosts.includes("identity");
        expect(s.dependsOn).toEqual([
          { name: previous ?? "gateway-api-crds" },
          ...(operator ? [{ name: "keycloak-operator" }] : []),
        ]);
      });
      expect(tree.has(`dist/clusters/${cluster.name}/apps/kustomization.yaml`)).toBe(true);
    }
  });

  it("reports reconciliation back to the Gitea commit through notification v1beta3", () => {
    for (const cluster of estate.clusters) {
      const [provider] = find(objects, cluster.name, "Provider", "gitea-commit-status");
      const [alert] = find(objects, cluster.name, "Alert", "gitea-commit-status");
      expect(provider?.manifest.apiVersion).toBe("notification.toolkit.fluxcd.io/v1beta3");
      expect(spec(provider)).toMatchObject({ type: "gitea", address: cluster.git.url.replace(/\.git$/, "") });
      expect(spec(provider).secretRef.name).toBeTruthy();
      expect(spec(alert).providerRef).toEqual({ name: "gitea-commit-status" });
    }
  });
});

describe("upstream manifests from Gitea mirrors", () => {
  it("install the Gateway API CRDs from a pinned tag, never pruned", () => {
    for (const cluster of estate.clusters) {
      const [source] = find(objects, cluster.name, "GitRepository", "gateway-api-crds");
      const [ks] = find(objects, cluster.name, "Kustomization", "gateway-api-crds");
      expect(spec(source)).toMatchObject({
        url: "https://gitea.waterschap.example/mirrors/gateway-api.git",
        ref: { tag: "v1.3.0" },
      });
      expect(spec(ks)).toMatchObject({
        path: "./config/crd/standard",
        prune: false,
        sourceRef: { kind: "GitRepository", name: "gateway-api-crds" },
      });
    }
  });
});

describe("platform controllers", () => {
  const releases = (cluster: string) =>
    objects
      .filter((o) => o.cluster === cluster && o.manifest.kind === "HelmRelease")
      .map((o) => o.manifest.metadata?.name);

  it("are placed by the cluster's capabilities", () => {
    for (const cluster of estate.clusters) {
      const names = releases(cluster.name);
      expect(names).toEqual(expect.arrayContaining(["kyverno", "kong"]));
      expect(names.includes("gpu-operator")).toBe(cluster.gpuNodes);
      // the datacenter runs the PostGIS master, the cloud its subscriber databases
      expect(names).toContain("cloudnative-pg");
    }
    expect(releases("rke2-core")).toContain("gpu-operator");
  });

  it("are HelmReleases (helm v2) with a pinned chart from a source beside them", () => {
    const helmReleases = objects.filter((o) => o.manifest.kind === "HelmRelease");
    expect(helmReleases.length).toBeGreaterThanOrEqual(7);
    for (const release of helmReleases) {
      expect(release.manifest.apiVersion).toBe("helm.toolkit.fluxcd.io/v2");
      // operators in controllers; the services they run (Ollama, the object store) in apps
      const services = [
        "ollama",
        "object-store",
        "loki",
        "tempo",
        "prometheus",
        "grafana",
        "kube-state-metrics",
        "otel-agent",
      ];
      const service = services.includes(release.manifest.metadata?.name as string);
      expect(release.layer).toBe(service ? "apps" : "controllers");
      const s = spec(release);
      const sourceRef = s.chartRef ?? s.chart.spec.sourceRef;
      const [source] = objects.filter(
        (o) =>
          o.cluster === release.cluster &&
          o.manifest.kind === sourceRef.kind &&
          o.manifest.metadata?.name === sourceRef.name,
      );
      expect(source?.manifest.apiVersion).toBe("source.toolkit.fluxcd.io/v1");
      const version = s.chartRef ? spec(source).ref.tag : s.chart.spec.version;
      expect(version).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });

  it("configure the GPU operator for RKE2's containerd", () => {
    const [gpu] = find(objects, "rke2-core", "HelmRelease", "gpu-operator");
    expect(spec(gpu).values.toolkit.env).toContainEqual({
      name: "CONTAINERD_SOCKET",
      value: "/run/k3s/containerd/containerd.sock",
    });
  });
});

describe("names and files", () => {
  it("one object per file named <kind>-<name>.yaml, listed in its directory's kustomization.yaml", () => {
    for (const o of objects) {
      expect(o.path.split("/").pop()).toBe(
        `${o.manifest.kind}-${o.manifest.metadata?.name}.yaml`.toLowerCase(),
      );
      const dir = o.path.slice(0, o.path.lastIndexOf("/"));
      expect(parse(tree.get(`${dir}/kustomization.yaml`) as string).resources).toContain(
        o.path.split("/").pop(),
      );
    }
  });

  it("carry no construct hashes or cdk8s bookkeeping", () => {
    for (const [path, content] of tree) {
      expect(content, path).not.toContain("cdk8s.io/");
      expect(content, path).not.toMatch(/-c8[0-9a-f]{6,}/);
    }
  });

  it("keep namespaces off cluster-scoped objects and on namespaced ones", () => {
    for (const o of objects) {
      const namespaced = !isClusterScoped(o.manifest.apiVersion, o.manifest.kind);
      expect(Boolean(o.manifest.metadata?.namespace), o.path).toBe(namespaced);
    }
  });

  it("contain no timestamps or absolute paths", () => {
    for (const [path, content] of tree) {
      // A SOPS file's own timestamp is part of its MAC: an input copied verbatim, not synth's clock.
      const rendered = content.replace(/^ {2}lastmodified: \S+$/m, "");
      expect(rendered, path).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(content, path).not.toContain(process.cwd());
    }
  });
});
