import {
  type CelResult,
  CelScalar,
  celEnv,
  celError,
  celFunc,
  isCelError,
  listType,
  parse,
  plan,
} from "@bufbuild/cel";

export type CelOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/** The images the expression being evaluated passes to a signature check (set only during one call). */
let recording: Set<string> | undefined;

// Signatures live in the registry: offline, a call records which image was put to the test.
const verifyImageSignatures = celFunc(
  "verifyImageSignatures",
  [CelScalar.STRING, listType(CelScalar.DYN)],
  CelScalar.INT,
  (image) => {
    recording?.add(image);
    return 1n;
  },
);
const PLAIN = celEnv();
const WITH_IMAGE_CHECKS = celEnv({ funcs: [verifyImageSignatures] });

type Program = (bindings: never) => CelResult;
/** Each expression parsed and planned once per environment: a policy is evaluated for every pod. */
const programs = new Map<string, Program | CelResult>();

function programFor(expression: string, withImageChecks: boolean): Program | CelResult {
  const key = `${withImageChecks ? "images" : "plain"}\0${expression}`;
  let program = programs.get(key);
  if (program === undefined) {
    try {
      program = plan(withImageChecks ? WITH_IMAGE_CHECKS : PLAIN, parse(expression)) as Program;
    } catch (error) {
      program = celError(error);
    }
    programs.set(key, program);
  }
  return program;
}

/** Evaluates one Kyverno CEL expression in plain CEL (Kyverno evaluates the same syntax the same way). */
export function evaluate(
  expression: string,
  bindings: Record<string, unknown>,
  verified?: Set<string>,
): CelOutcome {
  const program = programFor(expression, verified !== undefined);
  let result: CelResult;
  if (typeof program !== "function") result = program;
  else {
    recording = verified;
    try {
      result = program(bindings as never);
    } catch (error) {
      result = celError(error);
    } finally {
      recording = undefined;
    }
  }
  if (isCelError(result)) return { ok: false, error: result.message };
  return { ok: true, value: result };
}
