import { beforeAll, describe, expect, it } from "vitest";
import { main as explainMain } from "../commands/explain.ts";
import { type ExplainInput, explain } from "../lib/explain/index.ts";
import { hydrate } from "../lib/hydrate/index.ts";
import { expectGolden } from "./golden.ts";
import { REPO, renderFixtureEstate, runMain, sandboxWithDist } from "./helpers.ts";

let input: ExplainInput;
beforeAll(async () => {
  const { estate, tree } = await renderFixtureEstate();
  input = { estate, objects: (await hydrate(REPO, tree)).objects };
}, 120_000);

describe("npm run explain", () => {
  it("a workload: where it runs, its image, the policies and their action, who may reach it, its routes", () => {
    const text = explain(input, "legacy-connectors");
    expect(text).toContain("prod on rke2-core, namespace legacy");
    expect(text).toContain("image: registry.waterschap.example/apps/legacy-connectors:2.0.3");
    expect(text).toContain("data level high: data-level=high never leaves the datacenter");
    expect(text).toContain("ValidatingPolicy require-requests-limits: Deny");
    expect(text).toContain("MutatingPolicy geo-fence-high-data-on-prem-nodes: Mutate");
    expect(text).toMatch(
      /who may reach it:\n {6}ai\/internal-agents -> 8080\n {6}kong\/kong-gateway -> 8080\n/,
    );
    expect(text).toContain("kube-system/kube-dns:53");
    expect(text).toContain(
      "mcp.core.waterschap.example/mcp on gateway internal (plugins: keycloak-jwt,legacy-connectors-callers)",
    );
  });

  it("names the autoscaled node pool a placement runs on, with its limits", () => {
    expect(explain(input, "portal-api")).toMatch(
      /prod on rke2-cloud, namespace portal\n.*\n {4}nodes: vmss-rke2-cloud-workers, 2-8 \(cluster-autoscaler\)\n/,
    );
    expect(explain(input, "legacy-connectors")).not.toMatch(/^ {4}nodes: /m);
  });

  it("answers from the rendered NetworkPolicies: drop one and the path is gone", () => {
    const without = {
      ...input,
      objects: input.objects.filter(
        (o) => o.manifest.metadata?.name !== "internal-agents-to-legacy-connectors-ingress",
      ),
    };
    expect(explain(without, "legacy-connectors")).not.toContain("ai/internal-agents -> 8080");
  });

  it("non-prod policies audit; a namespace lists its workloads; a typo gets a suggestion", () => {
    expect(explain(input, "dev-portal")).toContain("ValidatingPolicy require-requests-limits: Audit");
    expect(explain(input, "rke2-nonprod")).toContain("policies audit");
    expect(() => explain(input, "legacy-conectors")).toThrow('did you mean "legacy-connectors"?');
  });

  it("as the command on the rendered fixture estate prints what test/golden/explain/ holds", async () => {
    const root = sandboxWithDist((await renderFixtureEstate()).tree);
    for (const name of ["legacy-connectors", "rke2-cloud"]) {
      const run = await runMain(explainMain, [name], root);
      expect([run.status, run.stderr]).toEqual([0, ""]);
      expectGolden(`explain/${name}.txt`, run.stdout);
    }
    const typo = await runMain(explainMain, ["legacy-conectors"], root);
    expect([typo.status, typo.stdout]).toEqual([1, ""]);
    expect(typo.stderr).toMatch(/^explain: .*legacy-conectors.*legacy-connectors/);
  });
});
