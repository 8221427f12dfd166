import { stringify } from "yaml";
import { renderReleases } from "../hydrate/index.ts";
import { fileNameOf } from "../synth/tree.ts";

/**
 * The tree with each HelmRelease's rendered chart objects added beside it, as
 * `<release dir>/helm/<release>/<kind>-<name>.yaml`, so a chart version or values change shows as the
 * change of the objects the chart renders, grouped and risk-flagged like our own objects. A release
 * that cannot be rendered adds nothing (validate reports why).
 */
export async function withChartObjects(
  root: string,
  tree: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const { releases } = await renderReleases(root, tree);
  const out = new Map(tree);
  for (const release of releases) {
    const dir = `${release.file.slice(0, release.file.lastIndexOf("/"))}/helm/${release.target.name}`;
    for (const manifest of release.objects) out.set(`${dir}/${fileNameOf(manifest)}`, stringify(manifest));
  }
  return out;
}
