import { ESTATE_MAP, estateMap } from "../docs/estate-map.ts";
import { EstateError, type Problem } from "../errors.ts";
import type { Estate } from "../inventory/model.ts";
import { addMirrorFiles } from "../mirror/files.ts";
import { SchemaRegistry } from "../schemas/registry.ts";
import { DATA_PATHS, dataPathsDocument } from "../sovereignty/paths-doc.ts";
import { schemaProblems, structuralProblems } from "./guards.ts";
import { hostConfigFiles } from "./host-config.ts";
import { policyTestFiles } from "./policy-tests.ts";
import { guardAgainstPrune } from "./prune-guard.ts";
import { type ClusterBuilder, renderEstate } from "./render.ts";
import { buildTree, type FileTree } from "./tree.ts";
import { rememberedYaml } from "./yaml-memo.ts";

/**
 * estate -> one App per cluster -> guards -> file tree. Throws an EstateError listing every problem;
 * nothing is written here, so a failure can never leave a half-written dist/.
 */
export async function synthesize(estate: Estate, root: string, build: ClusterBuilder): Promise<FileTree> {
  const objects = guardAgainstPrune(renderEstate(estate, build));
  const schemas = new SchemaRegistry(root);
  const problems: Problem[] = [];
  for (const object of objects) {
    problems.push(...structuralProblems(object), ...(await schemaProblems(object, schemas)));
  }
  await schemas.save();
  if (problems.length > 0) throw new EstateError(problems);
  const yaml = rememberedYaml(root);
  const tree = buildTree(objects, estate.clusters, yaml.toYaml);
  yaml.save();
  for (const [path, content] of policyTestFiles(objects, estate.clusters)) tree.set(path, content);
  for (const [path, content] of hostConfigFiles(estate)) tree.set(path, content);
  tree.set(ESTATE_MAP, estateMap(estate));
  tree.set(DATA_PATHS, dataPathsDocument(estate));
  await addMirrorFiles(root, estate, tree);
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
