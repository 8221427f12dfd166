import { createPublicKey, X509Certificate } from "node:crypto";
import type { Problem } from "../errors.ts";
import { PRIVATE_KEY_MATERIAL } from "../secrets/key-material.ts";

export type KeyReader = (path: string) => string;

function read(file: string, cluster: string, field: string, path: string, readKey: KeyReader) {
  let pem: string;
  try {
    pem = readKey(path);
  } catch {
    return { file, cluster, field, message: `cannot read "${path}"` } satisfies Problem;
  }
  // A private key in a file the inventory names is refused: only public material belongs in Git.
  if (PRIVATE_KEY_MATERIAL.test(pem))
    return {
      file,
      cluster,
      field,
      message: `"${path}" holds a private key; only the public part belongs in the repository`,
    } satisfies Problem;
  return pem;
}

/** The organisation's cosign public key, as PEM, or the problem with it. */
export function readCosignKey(
  file: string,
  cluster: string,
  path: string,
  readKey: KeyReader,
): string | Problem {
  const field = "images.cosignPublicKey";
  const pem = read(file, cluster, field, path, readKey);
  if (typeof pem !== "string") return pem;
  try {
    const key = createPublicKey(pem);
    if (!["ec", "rsa", "ed25519"].includes(key.asymmetricKeyType ?? ""))
      return {
        file,
        cluster,
        field,
        message: `"${path}" is a ${key.asymmetricKeyType} key, not one cosign uses`,
      };
  } catch {
    return { file, cluster, field, message: `"${path}" is not a PEM public key` };
  }
  return pem.trim();
}

/** The organisation's CA certificate (PEM, a CA), which every cluster trusts; or the problem with it. */
export function readCaCertificate(
  file: string,
  cluster: string,
  path: string,
  readKey: KeyReader,
): string | Problem {
  const field = "pki.caCertificate";
  const pem = read(file, cluster, field, path, readKey);
  if (typeof pem !== "string") return pem;
  try {
    if (!new X509Certificate(pem).ca)
      return {
        file,
        cluster,
        field,
        message: `"${path}" is not a CA certificate (basicConstraints CA:FALSE)`,
      };
  } catch {
    return { file, cluster, field, message: `"${path}" is not a PEM X.509 certificate` };
  }
  return `${pem.trim()}\n`;
}

/**
 * A cluster's own CA (`pki.clusterCaCertificate`): a self-signed CA certificate that the
 * organisation's CA did not issue. An intermediate under the organisation's root would let whoever
 * holds the cluster's key issue certificates the whole estate trusts, which is what it replaces.
 */
export function readClusterCaCertificate(
  file: string,
  cluster: string,
  path: string,
  orgCaPem: string,
  readKey: KeyReader,
): string | Problem {
  const field = "pki.clusterCaCertificate";
  const pem = read(file, cluster, field, path, readKey);
  if (typeof pem !== "string") return pem;
  const problem = (message: string): Problem => ({ file, cluster, field, message: `"${path}" ${message}` });
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(pem);
  } catch {
    return problem("is not a PEM X.509 certificate");
  }
  const org = new X509Certificate(orgCaPem);
  if (!ca.ca) return problem("is not a CA certificate (basicConstraints CA:FALSE)");
  if (ca.fingerprint256 === org.fingerprint256) return problem("is the organisation's CA itself");
  if (ca.checkIssued(org) && ca.verify(org.publicKey))
    return problem("is issued by the organisation's CA; a cluster's own CA must be a root of its own");
  if (!(ca.checkIssued(ca) && ca.verify(ca.publicKey)))
    return problem("is not self-signed; a cluster's own CA must be a root of its own");
  return `${pem.trim()}\n`;
}
