import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";

type JsonSchema = { [key: string]: unknown };

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
  const preserves = out["x-kubernetes-preserve-unknown-fields"] === true;
  if (out.type === "object" && out.properties && out.additionalProperties === undefined && !preserves) {
    out.additionalProperties = false;
  }
  return out;
}

/** Compiles every served version of every CRD under `dir` (recursively), keyed `group/version/Kind`. */
export function loadCrdSchemas(dir: string): Map<string, () => ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  const lazy = new Map<string, () => ValidateFunction>();
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".yaml") ? [join(d, e.name)] : [],
    );
  for (const file of walk(dir)) {
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
        let compiled: ValidateFunction | undefined;
        lazy.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, () => {
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
          compiled ??= ajv.compile(strictify(root));
          return compiled;
        });
      }
    }
  }
  return lazy;
}
