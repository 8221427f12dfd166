import type { Problem } from "../errors.ts";
import type { Workload } from "../inventory/model.ts";
import type { RuleId } from "../rule-registry.ts";
import { PRIVATE_KEY_MATERIAL } from "../secrets/key-material.ts";
import { eachString } from "../secrets/scan-files.ts";
import { CREDENTIAL_NAME, credentialIn } from "../secrets/scanner.ts";

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
    const what = credentialIn(value);
    if (what) refuse(`env.${name}`, `holds ${what}${instead}`);
    else if (CREDENTIAL_NAME.test(name) && value.trim() !== "")
      refuse(`env.${name}`, `is named like a credential and holds a value${instead}`);
  }
  for (const [key, content] of Object.entries(workload.config)) {
    const what = credentialIn(content);
    if (what) refuse(`config.${key}`, `holds ${what}${instead}, and read it from the environment`);
  }
  for (const [i, arg] of workload.args.entries()) {
    const what =
      credentialIn(arg) ?? (CREDENTIAL_NAME.test(arg) && /=.{4,}/.test(arg) ? "a credential" : undefined);
    if (what) refuse(`args.${i}`, `holds ${what}${instead}, and pass it as $(VARIABLE)`);
  }
  return problems;
}

/**
 * Private key material, or any other credential, anywhere in an inventory file's data: a token in the
 * Git URL's user part, a key in a query string, a password in a connection string. Only public keys
 * belong in the inventory. A workload's env, config and args are judged by credentialProblems.
 */
export function privateKeyProblems(file: string, input: unknown, cluster?: string): Problem[] {
  const found: Problem[] = [];
  const report = (field: string, rule: RuleId, message: string) =>
    found.push({ file, cluster, field, rule, message });
  eachString(input, (path, value) => {
    const what = credentialIn(value);
    if (PRIVATE_KEY_MATERIAL.test(value))
      report(path, "no-private-keys", "holds a private key; only public keys belong in the inventory");
    else if (what && !WORKLOAD_VALUES.test(path))
      report(path, "no-credentials-in-git", `holds ${what}; only public material belongs in the inventory`);
  });
  return found;
}

/** A catalogue workload's env, config and args: credentialProblems names those with the way out. */
const WORKLOAD_VALUES = /^\d+\.(env|config|args)\./;
