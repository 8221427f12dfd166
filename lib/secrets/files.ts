import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { EstateError, type Problem } from "../errors.ts";
import type { Cluster, EncryptedSecret } from "../inventory/model.ts";
import { isSopsEncrypted } from "./encrypted.ts";
import type { SopsMetadata } from "./sops.ts";

/** Where the SOPS-encrypted Secrets live: `secrets/<cluster>/<namespace>/<name>.sops.yaml`. */
export const SECRETS_DIR = "secrets";
export const secretFile = (cluster: string, namespace: string, name: string) =>
  `${SECRETS_DIR}/${cluster}/${namespace}/${name}.sops.yaml`;

/**
 * Reads every encrypted Secret under secrets/ and checks it: a Secret, named after its file, in the
 * namespace of its directory, for a cluster of the inventory, encrypted to exactly that cluster's
 * age recipients (so its Flux can decrypt it and nobody else's can).
 */
export function readEncryptedSecrets(root: string, clusters: readonly Cluster[]): EncryptedSecret[] {
  const base = join(root, SECRETS_DIR);
  if (!existsSync(base)) return [];
  const found: EncryptedSecret[] = [];
  const problems: Problem[] = [];
  const folder = (path: string) => statSync(path).isDirectory();
  for (const cluster of readdirSync(base).sort()) {
    if (!folder(join(base, cluster))) {
      // a note beside the cluster folders is fine; anything else is in the wrong place
      if (!/\.md$/.test(cluster))
        problems.push({
          file: `${SECRETS_DIR}/${cluster}`,
          message: "is not a cluster folder; Secrets live in secrets/<cluster>/<namespace>/",
        });
      continue;
    }
    const known = clusters.find((c) => c.name === cluster);
    for (const namespace of readdirSync(join(base, cluster)).sort()) {
      if (!folder(join(base, cluster, namespace))) {
        problems.push({
          file: `${SECRETS_DIR}/${cluster}/${namespace}`,
          cluster,
          message: "is not a namespace folder; Secrets live in secrets/<cluster>/<namespace>/",
        });
        continue;
      }
      for (const entry of readdirSync(join(base, cluster, namespace)).sort()) {
        const file = `${SECRETS_DIR}/${cluster}/${namespace}/${entry}`;
        const problem = (message: string) => problems.push({ file, cluster, message });
        if (!known) problem(`cluster "${cluster}" is not in clusters/index.ts`);
        else {
          const secret = readSecretFile(
            join(base, cluster, namespace, entry),
            { known, namespace, file },
            problem,
          );
          if (secret) found.push(secret);
        }
      }
    }
  }
  if (problems.length > 0) throw new EstateError(problems);
  return found;
}

/**
 * One file under secrets/<cluster>/<namespace>/: a v1 Secret named after its path, SOPS-encrypted to
 * exactly the cluster's age recipients; else the problem is reported and nothing is returned.
 */
function readSecretFile(
  path: string,
  at: { known: Cluster; namespace: string; file: string },
  problem: (message: string) => void,
): EncryptedSecret | undefined {
  const { known, namespace, file } = at;
  const entry = path.slice(path.lastIndexOf("/") + 1);
  if (!entry.endsWith(".sops.yaml")) {
    problem("is not a .sops.yaml file; only SOPS-encrypted Secrets belong here");
    return undefined;
  }
  let document: Record<string, any>;
  try {
    document = parse(readFileSync(path, "utf8")) as Record<string, any>;
  } catch (error) {
    problem(
      `is not valid YAML (${(error as Error).message.split("\n")[0]}): truncated? set it again with \`npm run secrets -- set\``,
    );
    return undefined;
  }
  const name = entry.slice(0, -".sops.yaml".length);
  if (document?.kind !== "Secret" || document?.apiVersion !== "v1") problem("is not a v1 Secret");
  else if (document.metadata?.name !== name || document.metadata?.namespace !== namespace)
    problem(
      `must be Secret ${namespace}/${name} (its path), not ${document.metadata?.namespace}/${document.metadata?.name}`,
    );
  else if (!isSopsEncrypted(document))
    problem("is not SOPS-encrypted; create it with `npm run secrets -- set`");
  else {
    const recipients = ((document.sops as Partial<SopsMetadata>).age ?? []).map((a) => a.recipient).sort();
    const expected = [...known.sops.age].sort();
    if (recipients.join(",") === expected.join(","))
      return { cluster: known.name, namespace, name, file, document };
    problem(
      `is encrypted for ${recipients.join(", ")}, but the cluster's age recipients are ${expected.join(", ")}: set it again with \`npm run secrets -- set\``,
    );
  }
  return undefined;
}
