import { CelScalar, celFunc, isCelError, listType, run } from "@bufbuild/cel";

export type CelOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/** Evaluates one Kyverno CEL expression in plain CEL (Kyverno evaluates the same syntax the same way). */
export function evaluate(
  expression: string,
  bindings: Record<string, unknown>,
  verified?: Set<string>,
): CelOutcome {
  const funcs = verified
    ? [
        // Signatures live in the registry: offline, a call records which image was put to the test.
        celFunc(
          "verifyImageSignatures",
          [CelScalar.STRING, listType(CelScalar.DYN)],
          CelScalar.INT,
          (image) => {
            verified.add(image);
            return 1n;
          },
        ),
      ]
    : [];
  const result = run(expression, bindings as never, { funcs });
  if (isCelError(result)) return { ok: false, error: result.message };
  return { ok: true, value: result };
}
