import { stringify } from "yaml";

/** YAML as synth writes every file: no line folding, no anchors. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
