import { ensureLayerTool } from "../lib/validate/kubectl.ts";

/** Unpacks kubectl and helm once, before the workers start, so they never race to extract them. */
export default function setup(): void {
  ensureLayerTool(process.cwd(), "kubectl");
  ensureLayerTool(process.cwd(), "helm");
}
