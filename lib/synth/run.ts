import { loadEstate } from "../estate/load.ts";
import { synthesize } from "./pipeline.ts";
import type { Platform } from "./render.ts";
import { type WriteReport, writeDistAtomically } from "./write.ts";

/** `npm run synth` without the process around it: load, render, guard, write dist/ all or nothing. */
export async function synthToDist(
  root: string,
  platform: Platform,
): Promise<{ clusters: number; objects: number; report: WriteReport }> {
  const estate = await loadEstate(root, platform.components);
  const tree = await synthesize(estate, root, platform.build);
  const report = writeDistAtomically(root, tree);
  const objects = [...tree.keys()].filter(
    (p) => p.startsWith("dist/clusters/") && !p.endsWith("/kustomization.yaml"),
  ).length;
  return { clusters: estate.clusters.length, objects, report };
}
