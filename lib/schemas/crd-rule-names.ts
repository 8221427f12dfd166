/** CEL's reserved words (cel-spec langdef), which a property name may not be as it is. */
const RESERVED = new Set(
  "true false null in as break const continue else for function if import let loop package namespace return var void while".split(
    " ",
  ),
);

/**
 * How a CRD property name reads in a CEL rule, as the API server escapes it (k8s.io/apiserver
 * pkg/cel/escaping.go, v0.35): a reserved word becomes `__word__`; `__`, `.`, `-` and `/` become
 * `__underscores__`, `__dot__`, `__dash__` and `__slash__`. A name that starts with a digit, is empty
 * or holds any other character cannot be reached from CEL: undefined.
 */
export function celIdentifier(name: string): string | undefined {
  if (name === "" || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  if (/[^a-zA-Z0-9_./-]/.test(name)) return undefined;
  return name.replace(/__|[./-]/g, (part) => ESCAPES[part] as string);
}

const ESCAPES: Record<string, string> = {
  __: "__underscores__",
  ".": "__dot__",
  "-": "__dash__",
  "/": "__slash__",
};
