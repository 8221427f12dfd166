import { validateDist } from "./index.ts";

/** `npm run validate`: checks the committed dist/ tree; exits 1 and names file and object on any problem. */
const report = await validateDist(process.cwd());
for (const problem of report.problems) console.error(problem);
const summary = `validate: ${report.objects} objects, ${report.kustomizeBuilds} kustomize builds, ${report.graphs.length} clusters`;
if (report.problems.length > 0) {
  console.error(`${summary}: ${report.problems.length} problems`);
  process.exit(1);
}
console.log(`${summary}: all valid`);
