import { vendoredChart } from "../helm/releases.ts";
import { unknownReleaseKeys } from "../helm/values-keys.ts";
import type { RenderedRelease } from "../hydrate/index.ts";
import type { PinnedComponent } from "../inventory/component.ts";

/**
 * Values keys each release gives that its chart does not know (a typo Helm would ignore in silence):
 * not in the chart's merged values.yaml, nor among its component's `freeFormValues`.
 */
export async function releaseValuesProblems(
  root: string,
  releases: readonly RenderedRelease[],
  components: readonly PinnedComponent[],
): Promise<{ release: RenderedRelease; message: string }[]> {
  const problems: { release: RenderedRelease; message: string }[] = [];
  for (const release of releases) {
    const { chart: name, version, values } = release.target;
    const chart = vendoredChart(root, name, version);
    if (typeof chart === "string") continue; // hydration already reported it
    const component = components.find(
      (c) => c.name === release.target.name && c.namespace === release.target.namespace,
    );
    const allowed = (component?.freeFormValues ?? []).map((f) => f.path);
    for (const key of await unknownReleaseKeys(root, chart, values, allowed))
      problems.push({ release, message: `values key "${key}" does not exist in chart ${name} ${version}` });
  }
  return problems;
}
