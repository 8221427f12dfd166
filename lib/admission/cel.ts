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
import { strings } from "@bufbuild/cel/ext";
import { KYVERNO_LIBS } from "./cel-kyverno-libs.ts";
import { desugarOptionals } from "./cel-optional.ts";

/**
 * An evaluation's outcome. An error is `unsupported` when it comes from what this environment lacks
 * (syntax it cannot parse, a function or variable it does not have) rather than from the expression
 * and its input: Kyverno's environment may well evaluate it, so the proof "cannot prove" there.
 */
export type CelOutcome = { ok: true; value: unknown } | { ok: false; error: string; unsupported: boolean };

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
// Kyverno's environment (pkg/cel/compiler/env.go) has cel-go's strings extension and optional types
// (the field-path shape of them, cel-optional.ts), and Kyverno's hash and json libraries
// (cel-kyverno-libs.ts); of the rest (lists, sets, math, Kubernetes' quantity/url/ip/cidr/semver/
// format, Kyverno's other libraries) this environment has none: expressions using them are
// "cannot prove".
const PLAIN = celEnv({ funcs: [...strings, ...KYVERNO_LIBS] });
const WITH_IMAGE_CHECKS = celEnv({ funcs: [...strings, ...KYVERNO_LIBS, verifyImageSignatures] });
// The API server's environment for CRD validation rules (k8s.io/apiserver pkg/cel/environment/
// base.go at v0.35): cel-go's standard library, strings extension v2 and optional types, plus
// Kubernetes' own libraries (url, regex, lists, quantity, ip, cidr, format, semver), sets, two-variable
// comprehensions and ext lists, which this environment lacks: rules using them are "cannot prove".
const KUBERNETES = celEnv({ funcs: [...strings] });

type Environment = "plain" | "images" | "kubernetes";
const ENVIRONMENTS = { plain: PLAIN, images: WITH_IMAGE_CHECKS, kubernetes: KUBERNETES } as const;

type Program = (bindings: never) => CelResult;
/** Each expression parsed and planned once per environment: a policy is evaluated for every pod. */
const programs = new Map<string, Program | CelResult>();

function programFor(expression: string, environment: Environment): Program | CelResult {
  const key = `${environment}\0${expression}`;
  let program = programs.get(key);
  if (program === undefined) {
    try {
      program = plan(ENVIRONMENTS[environment], parse(desugarOptionals(expression))) as Program;
    } catch (error) {
      program = celError(error);
    }
    programs.set(key, program);
  }
  return program;
}

/** What only this environment lacks: unparsable syntax (`.?`, `[?`), unbound functions and names. */
const UNSUPPORTED =
  /unbound function|unresolved attribute|expecting|mismatched input|extraneous input|no viable alternative|token recognition|found /;

/** Evaluates one Kyverno CEL expression. */
export function evaluate(
  expression: string,
  bindings: Record<string, unknown>,
  verified?: Set<string>,
): CelOutcome {
  return evaluateIn(verified === undefined ? "plain" : "images", expression, bindings, verified);
}

/** Evaluates one CRD validation rule (`x-kubernetes-validations`) as the API server's environment would. */
export function evaluateCrdRule(expression: string, bindings: Record<string, unknown>): CelOutcome {
  return evaluateIn("kubernetes", expression, bindings);
}

function evaluateIn(
  environment: Environment,
  expression: string,
  bindings: Record<string, unknown>,
  verified?: Set<string>,
): CelOutcome {
  const program = programFor(expression, environment);
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
  if (isCelError(result))
    return {
      ok: false,
      error: result.message,
      unsupported: UNSUPPORTED.test(result.message) || /\.\?|\[\?/.test(desugarOptionals(expression)),
    };
  return { ok: true, value: result };
}
