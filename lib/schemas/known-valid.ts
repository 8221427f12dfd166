import { CodeMemo } from "../cache/code-memo.ts";

/**
 * Objects already found schema-valid by exactly this code, these libraries and these compiled CRD
 * validators (a validator is a pure function of them), by the digest of the object's JSON. Checking
 * a known object is then free; in particular a synth does not pay V8's first compile of the large CRD
 * validators when those objects did not change. Only verdicts of "valid" are kept; anything else is
 * checked every time. Without a code identity (not started by bin/run.mjs) nothing is remembered.
 */
export class KnownValid {
  private constructor(private readonly memo: CodeMemo<true>) {}

  static open(root: string, validatorsId: string): KnownValid {
    return new KnownValid(CodeMemo.open<true>(root, "schema-verdicts", [validatorsId]));
  }

  has(digest: string): boolean {
    return this.memo.get(digest) === true;
  }

  add(digest: string): void {
    this.memo.set(digest, true);
  }

  /** Writes what this run learned (nothing when it learned nothing), and drops old verdict files. */
  save(): void {
    this.memo.save();
  }
}
