import { ensureKubectl } from "../lib/validate/kubectl.ts";

/** Unpacks kubectl once, before the workers start, so they never race to extract it. */
export default function setup(): void {
  ensureKubectl(process.cwd());
}
