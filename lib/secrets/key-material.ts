/** Private key material, wherever it appears: a PEM private key (any kind, cosign's too) or an age identity. */
export const PRIVATE_KEY_MATERIAL = /-----BEGIN [A-Z ]*PRIVATE KEY-----|AGE-SECRET-KEY-1[0-9A-Z]{20,}/;

const KEY_MATERIAL: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/AGE-SECRET-KEY-1[0-9A-Z]{20,}/, "an age secret key"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key"],
];

/**
 * What kind of key material a text holds, if any: the one list of patterns the inventory checks,
 * the workload credential rule and `npm run push` share.
 */
export function keyMaterialIn(text: string): string | undefined {
  return KEY_MATERIAL.find(([pattern]) => pattern.test(text))?.[1];
}
