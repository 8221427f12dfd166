import { X509Certificate } from "node:crypto";
import type { Manifest } from "../k8s/model-object.ts";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * A Secret that holds nothing secret: only a `ca.crt` of PEM certificates (the organisation's CA,
 * which CloudNativePG and Barman take from a Secret). It may be in Git unencrypted; anything else in
 * it (another key, a private key, text that is not a certificate) makes it an ordinary Secret again.
 */
export function isPublicCaBundle(manifest: Manifest): boolean {
  const m = manifest as Manifest & { stringData?: Record<string, string>; data?: Record<string, string> };
  if (m.metadata?.labels?.["waterschap.example/public-ca"] !== "true") return false;
  const values = {
    ...m.stringData,
    ...Object.fromEntries(
      Object.entries(m.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
    ),
  };
  const keys = Object.keys(values);
  if (keys.length !== 1 || keys[0] !== "ca.crt") return false;
  const pem = values["ca.crt"] as string;
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0 || pem.replace(PEM_CERTIFICATE, "").trim() !== "") return false;
  try {
    return blocks.every((b) => new X509Certificate(b).ca);
  } catch {
    return false;
  }
}
