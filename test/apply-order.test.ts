import { describe, expect, it } from "vitest";
import type { HydratedObject, RenderedRelease } from "../lib/hydrate/index.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { checkApplyOrder } from "../lib/validate/apply-order.ts";
import type { AppliedPath, ClusterGraph } from "../lib/validate/flux-graph.ts";

/** A small fixture cluster: objects as Flux would apply them, not the real estate. */
const CLUSTER = "fixture";
const BEFORE = ["default", "kube-system", "flux-system"];

const namespace = (name: string): Manifest => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const configMap = (name: string, ns?: string): Manifest => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
});
const kustomization = (name: string, spec: Record<string, unknown> = {}): Manifest => ({
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  metadata: { name, namespace: "flux-system" },
  spec: { path: `./${name}`, sourceRef: { kind: "GitRepository", name: "flux-system" }, ...spec },
});
const path = (dir: string, objects: Manifest[], by?: Manifest): AppliedPath => ({
  dir,
  appliedBy: by ? `Kustomization ${by.metadata?.name}` : "entry",
  ...(by ? { kustomization: by } : {}),
  objects,
});
const graph = (...applied: AppliedPath[]): ClusterGraph => ({ cluster: CLUSTER, applied, problems: [] });
const check = (g: ClusterGraph, hydrated: HydratedObject[] = [], releases: RenderedRelease[] = []) =>
  checkApplyOrder(g, hydrated, releases, BEFORE);

describe("Flux apply order: every namespaced object finds its namespace", () => {
  it("accepts a namespace created in the same apply, by the applying Kustomization or by a dependency", () => {
    const base = kustomization("base");
    const app = kustomization("app", { dependsOn: [{ name: "base" }] });
    const nested = kustomization("nested");
    const g = graph(
      path("entry", [base, app, configMap("root", "flux-system")]),
      path("base", [namespace("shared"), configMap("a", "shared")], base),
      path("app", [namespace("own"), configMap("b", "own"), configMap("c", "shared"), nested], app),
      path(
        "nested",
        [configMap("d", "own"), configMap("e", "shared"), configMap("f", "kube-system")],
        nested,
      ),
    );
    expect(check(g)).toEqual([]);
  });

  it("names cluster, Kustomization, objects and namespace when nothing before it creates the namespace", () => {
    const operator = kustomization("operator");
    const apps = kustomization("apps", { dependsOn: [{ name: "operator" }] });
    const g = graph(
      path("entry", [operator, apps]),
      path("operator", [configMap("operator-config", "identity")], operator),
      path("apps", [namespace("identity")], apps),
    );
    expect(check(g)).toEqual([
      'entry: cluster "fixture": Kustomization flux-system/operator applies 1 object(s) into namespace "identity" (ConfigMap operator-config), which no apply before it creates; it is created by Kustomization flux-system/apps, which is not applied before it (add a dependsOn, or create the namespace earlier)',
    ]);
  });

  it("puts objects of a Kustomization with targetNamespace, and of Git mirrors, in that namespace", () => {
    const mirrored = kustomization("mirrored", {
      sourceRef: { kind: "GitRepository", name: "upstream" },
      targetNamespace: "tools",
    });
    const local = kustomization("local", { targetNamespace: "tools" });
    const g = graph(path("entry", [mirrored, local]), path("local", [configMap("x")], local));
    const fromMirror: HydratedObject = {
      cluster: CLUSTER,
      origin: "git mirrored",
      manifest: configMap("y", "tools"),
    };
    const problems = check(g, [fromMirror]);
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).toContain(
      'Kustomization flux-system/local applies 1 object(s) into namespace "tools" (ConfigMap x)',
    );
    expect(problems.join("\n")).toContain(
      'Kustomization flux-system/mirrored applies 1 object(s) into namespace "tools" (ConfigMap y), which no apply before it creates; nothing in the cluster creates it',
    );
  });

  it("judges a chart's objects at its HelmRelease's apply, where createNamespace adds the release namespace", () => {
    const hr = (name: string, install?: Record<string, unknown>): Manifest => ({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name, namespace: "flux-system" },
      spec: { targetNamespace: name, ...(install ? { install } : {}) },
    });
    const release = (name: string): RenderedRelease => ({
      cluster: CLUSTER,
      file: `entry/${name}.yaml`,
      target: {
        name,
        namespace: "flux-system",
        releaseName: name,
        targetNamespace: name,
        chart: name,
        version: "1.0.0",
        values: {},
        hooks: true,
      },
      objects: [configMap(`${name}-config`, name), configMap(`${name}-elsewhere`, "monitoring")],
    });
    const g = graph(path("entry", [hr("created", { createNamespace: true }), hr("bare")]));
    const problems = check(g, [], [release("created"), release("bare")]);
    expect(problems.join("\n")).toContain(
      'applies 2 object(s) into namespace "bare" (HelmRelease bare (release), ConfigMap bare-config of HelmRelease bare)',
    );
    expect(problems.join("\n")).toContain(
      'namespace "monitoring" (ConfigMap created-elsewhere of HelmRelease created, ConfigMap bare-elsewhere of HelmRelease bare)',
    );
    expect(problems).toHaveLength(2);
  });

  it("reports a dependsOn cycle: Flux never applies any Kustomization on it", () => {
    const a = kustomization("a", { dependsOn: [{ name: "b" }] });
    const b = kustomization("b", { dependsOn: [{ name: "a" }] });
    const g = graph(
      path("entry", [a, b]),
      path("a", [namespace("from-a"), configMap("x", "from-b")], a),
      path("b", [namespace("from-b"), configMap("y", "from-a")], b),
    );
    expect(check(g)).toContain(
      'entry: cluster "fixture": Kustomizations depend on each other in a cycle (flux-system/a -> flux-system/b -> flux-system/a); Flux never applies any of them',
    );
  });
});
