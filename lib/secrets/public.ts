import { X509Certificate } from "node:crypto";
import type { Manifest } from "../k8s/model-object.ts";

const PUBLIC_KEYS = ["ca.crt", "cacerts.pem"];
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * A Secret that holds nothing secret: only a `ca.crt` (or Rancher's `cacerts.pem`) of PEM certificates (the organisation's CA,
 * which CloudNativePG and Barman take from a Secret). It may be in Git unencrypted; anything else in
 * it (another key, a private key, text that is not a certificate) makes it an ordinary Secret again.
 */
export function isPublicCaBundle(manifest: Manifest): boolean {
  if (manifest.metadata?.labels?.["waterschap.example/public-ca"] !== "true") return false;
  const values = secretValues(manifest);
  const keys = Object.keys(values);
  // `cacerts.pem` is the file name Rancher's chart mounts its `cacerts` setting from.
  if (keys.length !== 1 || !PUBLIC_KEYS.includes(keys[0] as string)) return false;
  const pem = values[keys[0] as string] as string;
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0 || pem.replace(PEM_CERTIFICATE, "").trim() !== "") return false;
  try {
    return blocks.every((b) => new X509Certificate(b).ca);
  } catch {
    return false;
  }
}

/** A Secret's values as text, as the API server stores them: `stringData` and decoded `data`. */
export function secretValues(manifest: Manifest): Record<string, string> {
  const m = manifest as Manifest & { stringData?: Record<string, string>; data?: Record<string, string> };
  return {
    ...m.stringData,
    ...Object.fromEntries(
      Object.entries(m.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
    ),
  };
}

/** The PEM certificate blocks of a text. */
export function pemCertificates(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}
