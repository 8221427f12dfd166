import { keyMaterialIn } from "./key-material.ts";

/**
 * The one credential scanner: what in a string is a credential, whatever field or file it sits in.
 * Used on every string of the inventory, every rendered file (the plaintext parts of SOPS files
 * included) and what push publishes. Each finding says what kind of credential it looks like.
 */
const TOKEN_FORMATS: readonly [RegExp, string][] = [
  [/-----BEGIN PGP PRIVATE KEY BLOCK-----/, "a PGP private key"],
  [/\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/, "a JSON web token"],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}/, "a GitHub token"],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, "a GitLab token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/\b(?:sk|rk)_live_[0-9A-Za-z]{16,}/, "a Stripe key"],
  [/\bASIA[0-9A-Z]{16}\b/, "an AWS session key"],
];

/** `scheme://user:password@`, and a token alone in the user part (`https://<token>@host`). */
const URL_USER_INFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#@]+)@[^\s/?#]+/i;
/** A credential in a URL's query: `?token=…`, `&api_key=…`, `sig=…`. */
const URL_QUERY_TOKEN =
  /[?&](?:access_token|token|api[-_]?key|apikey|key|sig|signature|password|passwd|secret|client_secret)=[^&\s#"']{8,}/i;
/** Connection strings: `Password=…;`, `Pwd=…`, Azure's `AccountKey=…` / `SharedAccessKey=…`. */
const CONNECTION_STRING =
  /(?:^|[;\s"'])(?:password|pwd|accountkey|sharedaccesskey)\s*=\s*(?!\$\{|\$\()[^;\s"']{4,}/i;
/** `password: x`, `api_key = x` in a config (not `${VAR}` or `$(VAR)` references). */
const ASSIGNED =
  /(?:^|[\s"'{,])(?:pass(?:word|wd)?|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|client[-_]?secret)["']?\s*[:=]\s*["']?(?!\$\{|\$\(|["']?\s*$)[^\s"',}]{4,}/im;
/** `--token x`, `--password=x` on a command line. */
const CLI_FLAG =
  /(?:^|\s)--?(?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key|client[-_]?secret)(?:=|\s+)(?!\$\{|\$\()[^\s"']{4,}/i;
/** Names under which people put credentials. */
export const CREDENTIAL_NAME =
  /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|access[-_]?key|auth)/i;
/** Base64 runs long enough to hide a key. */
const BASE64_RUN = /[A-Za-z0-9+/]{60,}={0,2}/g;

/** What credential `text` holds, if any. */
export function credentialIn(text: string): string | undefined {
  // No credential form is shorter (`pwd=abcd`); most rendered strings are, and skip a dozen patterns.
  if (text.length < 8) return undefined;
  const key = keyMaterialIn(text);
  if (key) return key;
  for (const [re, what] of TOKEN_FORMATS) if (re.test(text)) return what;
  const user = URL_USER_INFO.exec(text)?.[1];
  if (user?.includes(":") && !/:(\$\{|\$\()/.test(user)) return "a URL with a password";
  // a user name is no secret; a token in its place is
  if (user && !user.includes(":") && looksRandom(user)) return "a URL with a credential in its user part";
  if (URL_QUERY_TOKEN.test(text)) return "a URL with a credential in its query";
  if (ASSIGNED.test(text) || CLI_FLAG.test(text)) return "a credential assigned in plain text";
  if (CONNECTION_STRING.test(text)) return "a password in a connection string";
  for (const run of text.match(BASE64_RUN) ?? []) {
    const decoded = Buffer.from(run, "base64").toString("latin1");
    const inner = keyMaterialIn(decoded) ?? TOKEN_FORMATS.find(([re]) => re.test(decoded))?.[1];
    if (inner) return `${inner}, base64-encoded`;
  }
  return undefined;
}

/** A value that is random enough to be a secret: long, no spaces, and high Shannon entropy. */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value)) return false;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  const entropy = [...counts.values()].reduce(
    (h, n) => h - (n / value.length) * Math.log2(n / value.length),
    0,
  );
  return entropy >= 3.5;
}

/** What credential a named value holds: by its content, or a random value under a credential name. */
export function namedCredentialIn(name: string, value: string): string | undefined {
  return (
    credentialIn(value) ??
    (CREDENTIAL_NAME.test(name) && looksRandom(value) ? "a random value under a credential name" : undefined)
  );
}
