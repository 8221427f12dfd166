import { createHash } from "node:crypto";
import { type CelFunc, CelScalar, celFunc } from "@bufbuild/cel";

/**
 * The pure parts of Kyverno's own CEL libraries (github.com/kyverno/sdk, extensions/cel/libs), as
 * they read there: `hash` (md5, sha1, sha256 of a string, hex; prefixed `hash.` from Kyverno 1.18 and
 * unprefixed) and `json` (`json.unmarshal` of a string, `json.marshal` of a value). The libraries that
 * reach outside the request (http, resource, globalContext, image data) are not here: "cannot prove".
 */
const digest = (algorithm: string) => (value: string) => createHash(algorithm).update(value).digest("hex");

const hashes: CelFunc[] = (["md5", "sha1", "sha256"] as const).flatMap((algorithm) => [
  celFunc(`hash.${algorithm}`, [CelScalar.STRING], CelScalar.STRING, digest(algorithm)),
  celFunc(algorithm, [CelScalar.STRING], CelScalar.STRING, digest(algorithm)),
]);

const json: CelFunc[] = [
  celFunc("json.unmarshal", [CelScalar.STRING], CelScalar.DYN, (text) => JSON.parse(text)),
  celFunc("json.marshal", [CelScalar.DYN], CelScalar.STRING, (value) => JSON.stringify(value)),
];

export const KYVERNO_LIBS: readonly CelFunc[] = [...hashes, ...json];
