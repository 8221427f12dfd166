import { describe, expect, it } from "vitest";
import { isReservedNamespace, platformNamespaces, reservedNamespaces } from "../lib/namespaces/registry.ts";
import { objectsOf, renderFixtureEstate } from "./helpers.ts";

describe("the namespaces the platform renders", () => {
  it("are all reserved, so no workload group can be named into one of them", async () => {
    const { estate, tree } = await renderFixtureEstate();
    const workloadNamespaces = new Set(estate.placements.map((p) => `${p.cluster.name}/${p.namespace}`));
    const platform = objectsOf(tree).filter(
      (o) =>
        o.manifest.kind === "Namespace" &&
        !workloadNamespaces.has(`${o.cluster}/${o.manifest.metadata?.name}`),
    );
    expect(platform.length).toBeGreaterThan(10);
    const unreserved = platform
      .filter((o) => {
        const cluster = estate.clusters.find((c) => c.name === o.cluster);
        return (
          !cluster ||
          !isReservedNamespace(
            cluster,
            o.manifest.metadata?.name as string,
            reservedNamespaces(estate.components),
          )
        );
      })
      .map((o) => `${o.cluster}/${o.manifest.metadata?.name}`);
    expect(unreserved).toEqual([]);
  });

  it("enforce the Pod Security level the namespace registry gives them", async () => {
    const { estate, tree } = await renderFixtureEstate();
    const registry = platformNamespaces(estate.components);
    const workloadNamespaces = new Set(estate.placements.map((p) => `${p.cluster.name}/${p.namespace}`));
    const differing = objectsOf(tree)
      .filter(
        (o) =>
          o.manifest.kind === "Namespace" &&
          !workloadNamespaces.has(`${o.cluster}/${o.manifest.metadata?.name}`),
      )
      .filter((o) => !/^(dev|test|acc)-/.test(o.manifest.metadata?.name as string)) // non-prod data namespaces
      .filter(
        (o) =>
          o.manifest.metadata?.labels?.["pod-security.kubernetes.io/enforce"] !==
          registry.find((n) => n.name === o.manifest.metadata?.name)?.podSecurity,
      )
      .map((o) => `${o.cluster}/${o.manifest.metadata?.name}`);
    expect(differing).toEqual([]);
  });
});
