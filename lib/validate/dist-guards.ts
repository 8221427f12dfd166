import { parseAllDocuments } from "yaml";
import { formatProblem } from "../errors.ts";
import type { Cluster } from "../inventory/model.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { structuralProblems } from "../synth/guards.ts";

/**
 * Synth's guards, run again on what is in dist/: an object edited or added by hand meets the same
 * rules as one synth renders (names, namespaces, plaintext Secrets, human access in prod, sources
 * outside the mirrors, construct-path labels).
 */
export function guardsOnDist(files: ReadonlyMap<string, string>, clusters: readonly Cluster[]): string[] {
  const problems: string[] = [];
  for (const [path, content] of files) {
    const [, , name, ...rest] = path.split("/");
    if (!path.startsWith("dist/clusters/") || rest.at(-1) === "kustomization.yaml") continue;
    const cluster = clusters.find((c) => c.name === name);
    if (!cluster) {
      problems.push(
        `${path}: cluster "${name}" is not in clusters/index.ts; dist/ is stale or edited by hand`,
      );
      continue;
    }
    for (const doc of parseAllDocuments(content)) {
      const manifest = doc.toJS() as Manifest | null;
      if (!manifest?.kind) continue;
      for (const p of structuralProblems({ cluster, manifest }))
        problems.push(`${path}: ${formatProblem({ ...p, file: undefined })}`);
    }
  }
  return problems;
}
