import { join } from "node:path";
import { parseArgs } from "node:util";
import { repositoryRoot } from "../paths.ts";
import { flowsTable } from "../reachability/table.ts";
import { validateDist } from "./index.ts";

const USAGE = `usage: npm run validate [-- --flows]

Checks dist/ and the hydrated estate behind it (chart renders, admission, network reachability).
  --flows   also print every connection the rendered NetworkPolicies allow, per cluster
  --help    show this help`;

/**
 * `npm run validate`: checks the committed dist/ tree and the hydrated estate behind it; exits 1 and
 * names file, cluster and object on any problem. Lists every PolicyException with its reason and
 * every finding non-prod clusters only audit, so reviewers see both.
 */
let flags: { flows?: boolean; help?: boolean };
try {
  flags = parseArgs({
    options: { flows: { type: "boolean" }, help: { type: "boolean" } },
    strict: true,
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const report = await validateDist(repositoryRoot(join(import.meta.dirname, "../..")));
const hydrated = report.hydrated;
if (hydrated) {
  for (const e of hydrated.admission.exceptions)
    console.log(`exception ${e.cluster} ${e.name} (${e.policies.join(", ")}): ${e.reason}`);
  for (const f of hydrated.admission.audited)
    console.log(`audit ${f.cluster} ${f.subject}: ${f.rule}: ${f.message}`);
  if (flags.flows) console.log(flowsTable(hydrated.reachability));
}
for (const problem of report.problems) console.error(problem);
const parts = [
  `${report.objects} objects`,
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
const summary = `validate: ${parts.join(", ")}`;
if (report.problems.length > 0) {
  console.error(`${summary}: ${report.problems.length} problems`);
  process.exit(1);
}
console.log(`${summary}: all valid`);
