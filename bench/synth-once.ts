import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { buildCluster } from "../charts/index.ts";
import { loadEstate } from "../lib/estate/load.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import { writeDistAtomically } from "../lib/synth/write.ts";
import { generatedEstate, paddedBuilder } from "./estates.ts";

/**
 * One synth as a whole process, for `npm run bench`: the default estate (0 clusters) or a generated
 * one, rendered, guarded and written into `<out>/dist`. With a fourth argument it also writes the
 * rendered objects as JSON there (for the floor process) and prints how many there are.
 */
const [out, clusters, perCluster, objectsFile] = process.argv.slice(2) as [string, string, string, string?];
const root = join(import.meta.dirname, "..");
const generated = Number(clusters) > 0;
const estate = generated
  ? generatedEstate(root, Number(clusters))
  : await loadEstate(root, PLATFORM_COMPONENTS);
const tree = await synthesize(estate, root, generated ? paddedBuilder(Number(perCluster)) : buildCluster);
writeDistAtomically(out, tree);
if (objectsFile) {
  const objects = [...tree]
    .filter(([path]) => path.startsWith("dist/clusters/") && !path.endsWith("/kustomization.yaml"))
    .map(([path, content]) => [path, parseAllDocuments(content)[0]?.toJS()]);
  writeFileSync(objectsFile, JSON.stringify(objects));
  console.log(objects.length);
}
