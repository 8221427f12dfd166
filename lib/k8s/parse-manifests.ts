import { parseAllDocuments } from "yaml";
import type { Manifest } from "./model-object.ts";

/** The objects of a multi-document YAML stream (kustomize or helm output); empty documents left out. */
export function parseManifests(stream: string): Manifest[] {
  return parseAllDocuments(stream)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => !!m && typeof m === "object" && !!m.kind);
}
