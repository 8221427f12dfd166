import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureLayerTool } from "../lib/k8s/kubectl.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A folder for what the test files of one worker share (see sharedTempDir); removed after the run. */
    runDir: string;
  }
}

/**
 * Unpacks kubectl and helm once, before the workers start, so they never race to extract them; makes
 * the run's shared temp folder and removes it when every test file is done.
 */
export default function setup(project: TestProject): () => void {
  ensureLayerTool(process.cwd(), "kubectl");
  ensureLayerTool(process.cwd(), "helm");
  const runDir = mkdtempSync(join(tmpdir(), "estate-tests-"));
  project.provide("runDir", runDir);
  return () => rmSync(runDir, { recursive: true, force: true });
}
