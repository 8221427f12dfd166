import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { credentialsInFiles } from "../secrets/scan-files.ts";
import { credentialIn } from "../secrets/scanner.ts";

/**
 * What `npm run push` publishes: the rendered tree and the inputs it is rendered from. Anything else
 * changed in the work tree is the user's own business and makes push refuse, so nothing unrelated
 * or unreviewed rides along.
 */
export const PUBLISHED_PATHS = ["dist", "clusters", "secrets", "keys"] as const;

const isPublished = (path: string) => PUBLISHED_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/** Paths git sees as changed (staged, unstaged or untracked and not ignored), relative to the root. */
export function changedPaths(root: string): string[] {
  // Not trimmed: each entry starts with two status columns, which may be spaces.
  const out = execFileSync(
    "git",
    ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"],
    {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return out
    .split("\0")
    .filter(Boolean)
    .map((entry) => entry.slice(3));
}

/** Changed paths push would not publish: it refuses while there are any. */
export function unrelatedChanges(paths: readonly string[]): string[] {
  return paths.filter((p) => !isPublished(p));
}

/** File names that hold credentials by convention. */
export const SECRET_NAMES = [
  /(^|\/)\.env(\.|$)/,
  /(^|\/)id_(rsa|ecdsa|ed25519|dsa)$/,
  /\.(key|p12|pfx|jks|keystore|agekey)$/,
  /(^|\/)(kubeconfig|credentials)(\.\w+)?$/,
];

/** Why a file's content looks like a credential: YAML field by field (a SOPS file's ENC[…] skipped), else whole. */
export function credentialInFile(path: string, content: string): string | undefined {
  if (!/\.ya?ml$/.test(path)) return credentialIn(content);
  const [first] = credentialsInFiles(new Map([[path, content]]));
  return first ? `${first.what} in field "${first.field}"` : undefined;
}

/** The published changes that look like credentials, each with the reason. */
export function secretLookingFiles(root: string, paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const path of paths.filter(isPublished)) {
    if (SECRET_NAMES.some((re) => re.test(path))) {
      found.push(`${path} (its name is that of a credential file)`);
      continue;
    }
    const full = join(root, path);
    let content: string;
    try {
      if (!statSync(full).isFile()) continue;
      content = readFileSync(full, "utf8");
    } catch {
      continue; // deleted: nothing to leak
    }
    const what = credentialInFile(path, content);
    if (what) found.push(`${path} (it holds ${what})`);
  }
  return found;
}
