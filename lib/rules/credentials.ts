import type { Problem } from "../errors.ts";
import type { Workload } from "../inventory/model.ts";
import { keyMaterialIn, PRIVATE_KEY_MATERIAL } from "../secrets/key-material.ts";

/** Names under which people put credentials. */
const CREDENTIAL_NAME =
  /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|access[-_]?key|auth)/i;
/** Values that are credentials whatever they are called, besides key material. */
const CREDENTIAL_VALUES: readonly [RegExp, string][] = [
  [/\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/, "a JSON web token"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i, "a URL with a password"],
];
/** `password: x`, `api_key = x`, `--token x` inside a config file or an argument (not `${VAR}` references). */
const ASSIGNED_CREDENTIAL =
  /(?:^|[\s"'{,-])(?:pass(?:word|wd)?|secret|token|api[-_]?key|private[-_]?key|access[-_]?key)["']?\s*[:=\s]\s*["']?(?!\$\{|\$\(|["']?\s*$)[^\s"',}]{4,}/im;

function valueProblem(value: string): string | undefined {
  const key = keyMaterialIn(value);
  if (key) return key;
  for (const [re, what] of CREDENTIAL_VALUES) if (re.test(value)) return what;
  return ASSIGNED_CREDENTIAL.test(value) ? "a credential assigned in plain text" : undefined;
}

/**
 * A workload's env, config and args are rendered in plain text: a password, token or key there would
 * sit in Git and in every reviewer's diff. Refused, with the typed way instead: `secretEnv` names a
 * Secret (SOPS, `npm run secrets -- set`) that the pod reads at start.
 */
export function credentialProblems(workload: Workload): Problem[] {
  const problems: Problem[] = [];
  const refuse = (field: string, message: string) =>
    problems.push({
      file: workload.source,
      workload: workload.name,
      field,
      rule: "no-credentials-in-git",
      message,
    });
  const instead = "; put it in a Secret (`npm run secrets -- set`) and reference it with secretEnv";
  for (const [name, value] of Object.entries(workload.env)) {
    const what = valueProblem(value);
    if (what) refuse(`env.${name}`, `holds ${what}${instead}`);
    else if (CREDENTIAL_NAME.test(name) && value.trim() !== "")
      refuse(`env.${name}`, `is named like a credential and holds a value${instead}`);
  }
  for (const [key, content] of Object.entries(workload.config)) {
    const what = valueProblem(content);
    if (what) refuse(`config.${key}`, `holds ${what}${instead}, and read it from the environment`);
  }
  for (const [i, arg] of workload.args.entries()) {
    const what =
      valueProblem(arg) ?? (CREDENTIAL_NAME.test(arg) && /=.{4,}/.test(arg) ? "a credential" : undefined);
    if (what) refuse(`args.${i}`, `holds ${what}${instead}, and pass it as $(VARIABLE)`);
  }
  return problems;
}

/** Private key material anywhere in an inventory file's data: only public keys belong in Git. */
export function privateKeyProblems(file: string, input: unknown, cluster?: string): Problem[] {
  const found: Problem[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      if (PRIVATE_KEY_MATERIAL.test(value))
        found.push({
          file,
          cluster,
          field: path || "(root)",
          rule: "no-private-keys",
          message: "holds a private key; only public keys belong in the inventory",
        });
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(v, path ? `${path}.${i}` : String(i));
    } else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
  };
  visit(input, "");
  return found;
}
