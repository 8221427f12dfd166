import { join } from "node:path";
import { type CommandSpec, defineCommand } from "../lib/cli/command.ts";

const VALIDATE: CommandSpec = {
  name: "validate",
  usage: "",
  summary: `Checks dist/ as Flux and the API server will see it (schemas, kustomize builds, the Flux graph, synth's
guards) and the hydrated estate behind it: every chart rendered, every pod admitted by the cluster's
Kyverno policies and Pod Security level, every connection proven by the NetworkPolicies, every Secret
reference resolved. Exit 1 names file, cluster and object of each problem.`,
  options: {
    flows: {
      type: "boolean",
      description: "also print every connection the rendered NetworkPolicies allow, per cluster",
    },
  },
  examples: ["npm run validate", "npm run validate -- --flows"],
};

export const main = defineCommand(VALIDATE, async ({ values }, io) => {
  const [{ repositoryRoot }, { flowsTable }, { validateDist }, { PLATFORM_COMPONENTS }] = await Promise.all([
    import("../lib/paths.ts"),
    import("../lib/reachability/table.ts"),
    import("../lib/validate/index.ts"),
    import("../charts/components/index.ts"),
  ]);
  const started = performance.now();
  const root = repositoryRoot(join(import.meta.dirname, ".."), io.cwd);
  const report = await validateDist(root, PLATFORM_COMPONENTS);
  const hydrated = report.hydrated;
  if (hydrated) {
    for (const e of hydrated.admission.exceptions)
      io.log(`exception ${e.cluster} ${e.name} (${e.policies.join(", ")}): ${e.reason}`);
    for (const f of hydrated.admission.audited)
      io.log(`audit ${f.cluster} ${f.subject}: ${f.rule}: ${f.message}`);
    if (values.flows) io.log(flowsTable(hydrated.reachability));
  }
  for (const problem of report.problems) io.error(problem);
  const parts = [
    `${report.fluxObjects} objects in the Flux trees and ${report.objects - report.fluxObjects} outside them (policy tests, host config)`,
    `${report.kustomizeBuilds} kustomize builds`,
    `${report.graphs.length} clusters`,
    ...(hydrated
      ? [
          `${hydrated.hydrated.releases.length} charts rendered`,
          `${hydrated.admission.pods} pods judged`,
          `${hydrated.images} images`,
          `${hydrated.admission.exceptions.length} policy exceptions`,
          `${hydrated.admission.audited.length} audit findings`,
          `${hydrated.reachability.reduce((n, r) => n + r.flows.length, 0)} allowed connections proven`,
          `${hydrated.secrets.reduce((n, r) => n + r.sources.sops + r.sources.chart + r.sources.operator + r.sources.outOfBand, 0)} Secret references resolved`,
        ]
      : []),
  ];
  const summary = `validate: ${parts.join(", ")} (${((performance.now() - started) / 1000).toFixed(1)} s)`;
  if (report.problems.length > 0) {
    io.error(`${summary}: ${report.problems.length} problems`);
    return 1;
  }
  io.log(`${summary}: all valid`);
  return 0;
});
