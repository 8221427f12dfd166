import { formatProblem } from "../errors.ts";
import type { Cluster } from "../inventory/model.ts";
import { parsedFile } from "../k8s/tree-documents.ts";
import { structuralProblems } from "../synth/guards.ts";

/**
 * Synth's guards, run again on what is in dist/: an object edited or added by hand meets the same
 * rules as one synth renders (names, namespaces, plaintext Secrets, human access in prod, sources
 * outside the mirrors, construct-path labels).
 */
export function guardsOnDist(files: ReadonlyMap<string, string>, clusters: readonly Cluster[]): string[] {
  const problems: string[] = [];
  for (const path of files.keys()) {
    const [, , name, ...rest] = path.split("/");
    if (!path.startsWith("dist/clusters/") || rest.at(-1) === "kustomization.yaml") continue;
    const cluster = clusters.find((c) => c.name === name);
    if (!cluster) {
      problems.push(
        `${path}: cluster "${name}" is not in clusters/index.ts; dist/ is stale or edited by hand`,
      );
      continue;
    }
    for (const manifest of parsedFile(files, path).manifests) {
      if (!manifest?.kind) continue;
      for (const p of structuralProblems({ cluster, manifest }))
        problems.push(`${path}: ${formatProblem({ ...p, file: undefined })}`);
    }
  }
  return problems;
}
