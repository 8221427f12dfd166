import { join } from "node:path";
import { synthesize } from "../lib/synth/pipeline.ts";
import { validateHydrated } from "../lib/validate/hydrated.ts";
import { generatedEstate, paddedBuilder } from "./estates.ts";

/**
 * One run of validate's hydrated checks (chart renders, admission, reachability, Secret references)
 * on a generated estate rendered in memory, for `npm run bench`: prints how long the checks alone
 * took, with the objects and pods they judged, as JSON. The generated filler chart is not vendored,
 * so each filler release is reported as unrenderable; everything else is checked as in validate.
 */
const [clusters, perCluster] = process.argv.slice(2).map(Number) as [number, number];
const root = join(import.meta.dirname, "..");
const estate = generatedEstate(root, clusters);
const tree = await synthesize(estate, root, paddedBuilder(perCluster));
const started = performance.now();
const result = await validateHydrated(root, tree, estate);
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({ seconds, objects: result.hydrated.objects.length, pods: result.admission.pods }),
);
