import { validateDist } from "./index.ts";

/**
 * `npm run validate`: checks the committed dist/ tree and the hydrated estate behind it; exits 1 and
 * names file, cluster and object on any problem. Lists every PolicyException with its reason and
 * every finding non-prod clusters only audit, so reviewers see both.
 */
const report = await validateDist(process.cwd());
const hydrated = report.hydrated;
if (hydrated) {
  for (const e of hydrated.admission.exceptions)
    console.log(`exception ${e.cluster} ${e.name} (${e.policies.join(", ")}): ${e.reason}`);
  for (const f of hydrated.admission.audited)
    console.log(`audit ${f.cluster} ${f.subject}: ${f.rule}: ${f.message}`);
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
      ]
    : []),
];
const summary = `validate: ${parts.join(", ")}`;
if (report.problems.length > 0) {
  console.error(`${summary}: ${report.problems.length} problems`);
  process.exit(1);
}
console.log(`${summary}: all valid`);
