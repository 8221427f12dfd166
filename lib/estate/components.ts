import type { Problem } from "../errors.ts";
import type { PinnedComponent } from "../inventory/component.ts";
import { platformNamespaces } from "../namespaces/registry.ts";

const PINS = "charts/components/index.ts";
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * What must hold of the platform components before anything renders: an exact chart version each
 * (upgrades arrive as reviewed pull requests), one release per name and namespace, and one registry
 * row per namespace a component installs into.
 */
export function componentProblems(components: readonly PinnedComponent[]): Problem[] {
  const problems: Problem[] = [];
  const rows = platformNamespaces(components);
  const seen = new Set<string>();
  for (const c of components) {
    const at = { file: PINS, field: `${c.name}` };
    if (!EXACT_VERSION.test(c.version))
      problems.push({ ...at, message: `chart ${c.chart} is pinned to "${c.version}", not an exact version` });
    const release = `${c.namespace}/${c.name}`;
    if (seen.has(release)) problems.push({ ...at, message: `release ${release} is listed twice` });
    seen.add(release);
    const owners = rows.filter((row) => row.name === c.namespace).length;
    if (owners !== 1)
      problems.push({
        ...at,
        message: `namespace "${c.namespace}" has ${owners} rows in the namespace registry: exactly one component (ownNamespace) or lib/namespaces/registry.ts must describe it`,
      });
  }
  return problems;
}
