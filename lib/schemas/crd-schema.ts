import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { ErrorObject } from "ajv";
import { parseAllDocuments } from "yaml";
import { type RuleNode, ruleTree } from "./crd-rules.ts";

const AJV_VERSION = (createRequire(import.meta.url)("ajv/package.json") as { version: string }).version;

type JsonSchema = { [key: string]: unknown };

const AJV_OPTIONS = {
  strict: false,
  allErrors: true,
  validateFormats: false,
  unicodeRegExp: false,
  code: { source: true, esm: true },
} as const;

/**
 * Makes a CRD's structural schema behave like the API server with strict field validation: unknown
 * fields are errors (the server would prune them silently, which hides typos), int-or-string and
 * nullable mean what Kubernetes means by them.
 */
function strictify(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, sub]) => [name, strictify(sub)]),
      );
    } else if ((key === "items" || key === "additionalProperties") && value && typeof value === "object") {
      out[key] = strictify(value as JsonSchema);
    } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      out[key] = value.map((sub) => strictify(sub as JsonSchema));
    } else {
      out[key] = value;
    }
  }
  if (out["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    if (!out.anyOf) out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (out.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  else if (out.nullable === true && Array.isArray(out.anyOf)) {
    // A nullable int-or-string (Rancher's maxSurge): null is one more alternative, not a type.
    out.anyOf = [...out.anyOf, { type: "null" }];
    delete out.nullable;
  }
  const preserves = out["x-kubernetes-preserve-unknown-fields"] === true;
  if (out.type === "object" && out.properties && out.additionalProperties === undefined && !preserves) {
    out.additionalProperties = false;
  }
  return out;
}

export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

interface CrdVersion {
  readonly key: string;
  readonly schema: JsonSchema;
  /** The CEL rules, defaults and list types of the original schema (crd-rules.ts). */
  readonly rules: RuleNode | undefined;
}

function crdFiles(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".yaml") ? [join(d, e.name)] : [],
    );
  return walk(dir).sort();
}

/** Every served version of every CRD in these files, keyed `group/version/Kind`, as the API server checks it. */
function crdVersions(files: readonly string[]): CrdVersion[] {
  const versions: CrdVersion[] = [];
  for (const file of files)
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
      const crd = doc.toJS() as {
        kind?: string;
        spec?: {
          group: string;
          names: { kind: string };
          versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: JsonSchema } }[];
        };
      };
      if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) continue;
      for (const version of crd.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!version.served || !schema) continue;
        // Every object has these, whether or not the CRD's schema spells them out.
        const root = {
          ...schema,
          properties: {
            apiVersion: { type: "string" },
            kind: { type: "string" },
            metadata: { type: "object" },
            ...(schema.properties as object),
          },
        };
        versions.push({
          key: `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`,
          schema: strictify(root),
          rules: ruleTree(schema),
        });
      }
    }
  return versions;
}

/**
 * The compiled validators of every CRD under `dir`, and the name of the module they come from.
 * Compiling the large CRD schemas is most of a synth's start-up, so they are compiled once per
 * content of the CRDs (and ajv, its options and the schema rewrite) into a standalone module in
 * `cacheDir`, which every later process (and every test sandbox) imports.
 */
export async function crdValidators(
  dir: string,
  cacheDir: string,
): Promise<{ validators: Map<string, Validator>; rules: Map<string, RuleNode>; id: string }> {
  const files = crdFiles(dir);
  const hash = createHash("sha256")
    .update(`ajv ${AJV_VERSION}\n${JSON.stringify(AJV_OPTIONS)}\n`)
    .update(`${strictify.toString()}\n${crdVersions.toString()}\n${ruleTree.toString()}\n`);
  for (const file of files) hash.update(`${relative(dir, file)}\n`).update(readFileSync(file));
  const id = `crd-validators-${hash.digest("hex").slice(0, 16)}`;
  const module = join(cacheDir, `${id}.mjs`);
  if (!existsSync(module)) await compileValidators(files, cacheDir, id);
  const loaded = (await import(pathToFileURL(module).href)) as Record<string, unknown> & {
    index: Record<string, string>;
    rules: Record<string, RuleNode>;
  };
  const validators = new Map(
    Object.entries(loaded.index).map(([key, name]) => [key, loaded[name] as Validator]),
  );
  return { validators, rules: new Map(Object.entries(loaded.rules)), id };
}

/** Writes `<cacheDir>/<id>.mjs`: ajv's standalone code of every CRD version, and an index by kind. */
async function compileValidators(files: readonly string[], cacheDir: string, id: string): Promise<void> {
  // ajv's compiler is loaded only to compile: a synth with the module cached never loads it.
  const { Ajv } = await import("ajv");
  const standaloneModule = await import("ajv/dist/standalone/index.js");
  // ajv's standalone entry is CommonJS with a default export: reach the function either way.
  const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ??
    standaloneModule) as (ajv: InstanceType<typeof Ajv>, refs: Record<string, string>) => string;
  const ajv = new Ajv(AJV_OPTIONS);
  const versions = crdVersions(files);
  const exports: Record<string, string> = {};
  for (const [i, v] of versions.entries()) {
    ajv.addSchema(v.schema, v.key);
    exports[`v${i}`] = v.key;
  }
  const index = Object.fromEntries(versions.map((v, i) => [v.key, `v${i}`]));
  // The generated code requires ajv's small runtime helpers (string length) even as ESM.
  const code = [
    'import { createRequire } from "node:module";',
    "const require = createRequire(import.meta.url);",
    standaloneCode(ajv, exports),
    `export const index = ${JSON.stringify(index)};`,
    `export const rules = ${JSON.stringify(Object.fromEntries(versions.flatMap((v) => (v.rules ? [[v.key, v.rules]] : []))))};`,
    "",
  ].join("\n");
  mkdirSync(cacheDir, { recursive: true });
  // Several processes may build it at once: each writes its own file and renames it into place.
  const module = join(cacheDir, `${id}.mjs`);
  const temporary = `${module}.${process.pid}.tmp`;
  writeFileSync(temporary, code);
  renameSync(temporary, module);
  // Each is several megabytes: keep the few newest (branches with other CRDs), drop the rest.
  const older = readdirSync(cacheDir)
    .filter((name) => /^crd-validators-[0-9a-f]{16}\.mjs$/.test(name) && name !== `${id}.mjs`)
    .map((name) => ({ path: join(cacheDir, name), mtime: statSync(join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of older.slice(3)) rmSync(path, { force: true });
}
