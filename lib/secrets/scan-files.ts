import { parseAllDocuments } from "yaml";
import { credentialIn } from "./scanner.ts";

export interface FileCredential {
  readonly file: string;
  /** `Kind namespace/name` of the document, when the file is YAML. */
  readonly object?: string;
  readonly field: string;
  readonly what: string;
}

/**
 * Credentials in the files of a tree (dist/ as synth renders it, or as validate reads it): every
 * string of every YAML document, annotations and labels of Secrets included; in a SOPS file only the
 * encrypted values (`ENC[…]`) and SOPS' own metadata are skipped, so a plaintext field beside them is
 * seen. Other files are scanned whole.
 */
export function credentialsInFiles(files: ReadonlyMap<string, string>): FileCredential[] {
  const found: FileCredential[] = [];
  for (const [file, content] of files) {
    if (!/\.ya?ml$/.test(file)) {
      const what = credentialIn(content);
      if (what) found.push({ file, field: "(content)", what });
      continue;
    }
    for (const doc of parseAllDocuments(content)) {
      const value = doc.toJS() as Record<string, any> | null;
      if (!value || typeof value !== "object") continue;
      const object = value.kind
        ? `${value.kind} ${value.metadata?.namespace ? `${value.metadata.namespace}/` : ""}${value.metadata?.name}`
        : undefined;
      for (const { field, what } of credentialsInValue(value)) found.push({ file, object, field, what });
    }
  }
  return found;
}

/** Credentials in one object's strings, by field (ENC[…] values and SOPS' metadata skipped). */
export function credentialsInValue(value: unknown): { field: string; what: string }[] {
  const found: { field: string; what: string }[] = [];
  // A document's top-level `sops` block holds recipients and the encrypted data key: no content.
  const content =
    value && typeof value === "object" && !Array.isArray(value) ? { ...value, sops: undefined } : value;
  eachString(content, (field, text) => {
    if (text.startsWith("ENC[")) return;
    const what = credentialIn(text);
    if (what) found.push({ field, what });
  });
  return found;
}

/** Every string of a parsed document with its dotted path (`(root)` for a bare string). */
export function eachString(value: unknown, visit: (path: string, text: string) => void, path = ""): void {
  if (typeof value === "string") visit(path || "(root)", value);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) eachString(v, visit, path ? `${path}.${i}` : String(i));
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) eachString(v, visit, path ? `${path}.${k}` : k);
}

export const describeCredential = (c: FileCredential) =>
  `${c.file}: ${c.object ? `${c.object}: ` : ""}field "${c.field}" holds ${c.what}; credentials belong in SOPS-encrypted values (npm run secrets -- set), never in plain text`;
