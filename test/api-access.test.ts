import { beforeAll, describe, expect, it } from "vitest";
import { connectionsOf } from "../lib/connections/index.ts";
import { gpuNodesOf } from "../lib/hydrate/gpu-operands.ts";
import { type HydratedObject, hydrate } from "../lib/hydrate/index.ts";
import type { Connection } from "../lib/inventory/connection.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { apiAccessProblems } from "../lib/validate/api-access.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";

describe("pods granted API rights have a declared way to the API server", () => {
  let estate: Estate;
  let core: Cluster;
  let objects: HydratedObject[];
  let connections: Connection[];
  beforeAll(async () => {
    const rendered = await renderFixtureEstate();
    estate = rendered.estate;
    core = estate.clusters.find((c) => c.name === "rke2-core") as Cluster;
    const hydrated = await hydrate(REPO, rendered.tree, gpuNodesOf(estate.clusters));
    objects = hydrated.objects.filter((o) => o.cluster === core.name);
    connections = connectionsOf(core, estate);
  });
  const subjects = (problems: string[]) =>
    problems.map((p) => p.replace(/^.*?cluster "rke2-core": (.*?): api-access.*$/, "$1"));

  it("hold on the fixture estate, operator-created pods included", () => {
    expect(apiAccessProblems(core, objects, connections)).toEqual([]);
  });

  it("find CloudNativePG's bootstrap Jobs when the API connection selects the instances only", () => {
    const narrowed = connections.map((c) =>
      c.name === "postgis-to-api-server" && c.from.kind === "pods"
        ? { ...c, from: { ...c.from, labels: { ...c.from.labels, "cnpg.io/podRole": "instance" } } }
        : c,
    );
    expect(subjects(apiAccessProblems(core, objects, narrowed))).toEqual([
      "Pod data/postgis-1-initdb",
      "Pod data/postgis-2-join",
      "Pod data/postgis-3-join",
    ]);
  });

  it("find a pod whose ServiceAccount a binding grants rules, and not one bound to a role without rules", () => {
    const binding = (name: string, role: string): HydratedObject => ({
      cluster: core.name,
      origin: "test",
      manifest: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name },
        subjects: [{ kind: "ServiceAccount", name: "tempo", namespace: "observability" }],
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
      } as HydratedObject["manifest"],
    });
    const emptyRole: HydratedObject = {
      cluster: core.name,
      origin: "test",
      manifest: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "nothing" },
        rules: [],
      } as HydratedObject["manifest"],
    };
    expect(apiAccessProblems(core, [...objects, emptyRole, binding("b", "nothing")], connections)).toEqual(
      [],
    );
    expect(subjects(apiAccessProblems(core, [...objects, binding("b", "view")], connections))).toEqual([
      "StatefulSet observability/tempo",
    ]);
  });
});
