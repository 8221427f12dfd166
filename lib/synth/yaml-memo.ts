import { CodeMemo, objectDigest } from "../cache/code-memo.ts";
import { toYaml } from "../k8s/yaml.ts";

/**
 * Synth's YAML of each object, remembered between runs by the object's JSON (the rendered objects are
 * plain JSON, so the YAML is a function of it and of the code, CodeMemo): an unchanged object is not
 * written out again, which is most of a synth's time after a small change.
 */
export function rememberedYaml(root: string): { toYaml: (value: unknown) => string; save: () => void } {
  const memo = CodeMemo.open<string>(root, "synth-yaml");
  if (!memo.enabled) return { toYaml, save: () => {} };
  return {
    toYaml: (value) => {
      const digest = objectDigest(value);
      const known = memo.get(digest);
      if (known !== undefined) return known;
      const yaml = toYaml(value);
      memo.set(digest, yaml);
      return yaml;
    },
    save: () => memo.save(),
  };
}
