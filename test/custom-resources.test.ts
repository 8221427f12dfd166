import { beforeAll, describe, expect, it } from "vitest";
import type { HydratedObject } from "../lib/hydrate/index.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { customResourceProblems } from "../lib/validate/custom-resources.ts";
import { objectsOf, renderFixtureEstate } from "./helpers.ts";

const at = (manifest: Manifest, origin = "dist/x.yaml"): HydratedObject => ({
  cluster: "c",
  origin,
  manifest,
});

describe("custom resources, and what acts on them", () => {
  let estate: Estate;
  let core: Cluster;
  let cloud: Cluster;
  let rendered: HydratedObject[];
  beforeAll(async () => {
    const fixture = await renderFixtureEstate();
    estate = fixture.estate;
    core = estate.clusters.find((c) => c.name === "rke2-core") as Cluster;
    cloud = estate.clusters.find((c) => c.name === "rke2-cloud") as Cluster;
    rendered = objectsOf(fixture.tree).map((o) => ({
      cluster: o.cluster,
      origin: o.path,
      manifest: o.manifest,
    }));
  });
  const problems = (cluster: Cluster, objects: HydratedObject[]) =>
    customResourceProblems(cluster, estate, objects).map((p) => p.replace(/^.*custom-resources: /, ""));

  it("a kind no component declares is 'cannot prove', whatever it is", () => {
    const widget = at({
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w", namespace: "n" },
    });
    expect(problems(core, [widget])).toEqual([
      "cannot prove what acts on it: no component on this cluster declares example.com/Widget (operates, in its descriptor)",
    ]);
    expect(problems(core, [at({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } })])).toEqual(
      [],
    );
  });

  it("is declared by a component that runs on the resource's cluster, not by one elsewhere", () => {
    const policy = at({
      apiVersion: "nvidia.com/v1",
      kind: "ClusterPolicy",
      metadata: { name: "cluster-policy" },
    });
    const operands = at(
      { apiVersion: "apps/v1", kind: "DaemonSet" },
      "operator ClusterPolicy cluster-policy",
    );
    expect(core.gpuNodes && !cloud.gpuNodes).toBe(true);
    expect(problems(core, [policy, operands])).toEqual([]);
    expect(problems(cloud, [policy, operands])).toEqual([
      "cannot prove what acts on it: no component on this cluster declares nvidia.com/ClusterPolicy (operates, in its descriptor)",
    ]);
  });

  it("a kind declared modeled must have made the proof create something from each resource", () => {
    const db = at({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: "db", namespace: "data" },
    });
    expect(problems(core, [db])).toEqual([
      "cannot prove what it creates: its operator model created nothing from it",
    ]);
    const pod = at({ apiVersion: "v1", kind: "Pod" }, "operator Cluster data/db");
    expect(problems(core, [db, pod])).toEqual([]);
  });

  it("settings whose effect is not modeled are 'cannot prove': ACME issuers, managed gateway classes, generated workloads, background mutation", () => {
    const acme = at({
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "le" },
      spec: { acme: {} },
    });
    const managed = at({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "g" },
    });
    const generator = at({
      apiVersion: "policies.kyverno.io/v1",
      kind: "GeneratingPolicy",
      metadata: { name: "p" },
      spec: { generate: [{ expression: 'generator.Apply(ns, [{"kind": dyn("Deployment")}])' }] },
    });
    const background = at({
      apiVersion: "policies.kyverno.io/v1",
      kind: "MutatingPolicy",
      metadata: { name: "m" },
      spec: { evaluation: { mutateExisting: { enabled: true } } },
    });
    expect(problems(core, [acme, managed, generator, background])).toEqual([
      "cannot prove what it creates: an ACME issuer's HTTP-01 solvers run pods the proof does not model",
      "cannot prove what it creates: a managed GatewayClass makes a gateway operator start gateway pods; only unmanaged classes are modeled",
      "cannot prove what it creates: it generates Deployment; only NetworkPolicies are modeled",
      "cannot prove what it creates: it mutates existing resources in the background, which the admission proof does not model",
    ]);
  });

  it("the fixture estate's rendered custom resources are all declared (operator models aside)", () => {
    const own = (cluster: Cluster) => rendered.filter((o) => o.cluster === cluster.name);
    const left = estate.clusters.flatMap((cluster) =>
      problems(cluster, own(cluster)).filter((p) => !p.includes("model created nothing")),
    );
    expect(left).toEqual([]);
    expect(own(core).some((o) => o.manifest.apiVersion.startsWith("policies.kyverno.io/"))).toBe(true);
  });
});
