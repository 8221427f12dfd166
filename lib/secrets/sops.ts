import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { armor, Decrypter, Encrypter } from "age-encryption";

/**
 * The SOPS file format (getsops/sops 3.x), for Kubernetes Secrets encrypted to age recipients, as
 * Flux's kustomize-controller decrypts them: every value under `data`/`stringData` is AES-256-GCM
 * encrypted with a random data key (32-byte IV, the key path as additional data), the data key is
 * age-encrypted to each recipient, and a SHA-512 MAC over every value, encrypted with the data key
 * and the timestamp as additional data, detects tampering.
 */
export const SOPS_VERSION = "3.13.2";
export const ENCRYPTED_REGEX = "^(data|stringData)$";

type Tree = Record<string, unknown>;
export interface SopsMetadata {
  age: { recipient: string; enc: string }[];
  lastmodified: string;
  mac: string;
  encrypted_regex: string;
  version: string;
}

function aesEncrypt(value: string, key: Buffer, aad: string): string {
  const iv = randomBytes(32);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString("base64")},iv:${iv.toString("base64")},tag:${tag.toString("base64")},type:str]`;
}

function aesDecrypt(value: string, key: Buffer, aad: string): string {
  const match = /^ENC\[AES256_GCM,data:([^,]*),iv:([^,]+),tag:([^,]+),type:str\]$/.exec(value);
  if (!match) throw new Error(`not a SOPS-encrypted string: ${value.slice(0, 30)}…`);
  const [, data = "", iv = "", tag = ""] = match;
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}

/** Walks string leaves in document order, as SOPS does, replacing each with `visit`'s result. */
function walk(tree: unknown, path: string[], visit: (value: string, path: string[]) => string): unknown {
  if (typeof tree === "string") return visit(tree, path);
  if (Array.isArray(tree)) return tree.map((v) => walk(v, path, visit));
  if (tree && typeof tree === "object")
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, walk(v, [...path, k], visit)]));
  throw new Error(`${path.join(".")}: only string values can be encrypted here`);
}

const encrypted = (path: string[]) => path.some((p) => new RegExp(ENCRYPTED_REGEX).test(p));

/** Encrypts a Secret manifest for the age recipients; `now` fixes the timestamp (tests). */
export async function encryptSops(
  manifest: Tree,
  recipients: readonly string[],
  now = new Date(),
): Promise<Tree> {
  if ("sops" in manifest) throw new Error("already SOPS-encrypted");
  const key = randomBytes(32);
  const mac = createHash("sha512");
  const tree = walk(manifest, [], (value, path) => {
    mac.update(value);
    return encrypted(path) ? aesEncrypt(value, key, `${path.join(":")}:`) : value;
  }) as Tree;
  const lastmodified = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const age = [];
  for (const recipient of recipients) {
    const encrypter = new Encrypter();
    encrypter.addRecipient(recipient);
    age.push({ recipient, enc: armor.encode(await encrypter.encrypt(key)) });
  }
  const sops: SopsMetadata = {
    age,
    lastmodified,
    mac: aesEncrypt(mac.digest("hex").toUpperCase(), key, lastmodified),
    encrypted_regex: ENCRYPTED_REGEX,
    version: SOPS_VERSION,
  };
  return { ...tree, sops };
}

/** Decrypts with an age identity (`AGE-SECRET-KEY-1…`), verifying the MAC as SOPS does. */
export async function decryptSops(document: Tree, identity: string): Promise<Tree> {
  const { sops, ...rest } = document as Tree & { sops?: SopsMetadata };
  if (!sops?.age?.length || !sops.mac)
    throw new Error("not a SOPS-encrypted document (no sops.age / sops.mac)");
  let key: Buffer | undefined;
  for (const { enc } of sops.age) {
    try {
      const decrypter = new Decrypter();
      decrypter.addIdentity(identity);
      key = Buffer.from(await decrypter.decrypt(armor.decode(enc), "uint8array"));
      break;
    } catch {
      // not this recipient's stanza
    }
  }
  if (!key) throw new Error("the age identity is none of the file's recipients");
  const dataKey = key;
  const mac = createHash("sha512");
  const tree = walk(rest, [], (value, path) => {
    const plain = encrypted(path) ? aesDecrypt(value, dataKey, `${path.join(":")}:`) : value;
    mac.update(plain);
    return plain;
  }) as Tree;
  if (aesDecrypt(sops.mac, dataKey, sops.lastmodified) !== mac.digest("hex").toUpperCase())
    throw new Error("MAC mismatch: the file was changed after it was encrypted");
  return tree;
}

export { isSopsEncrypted } from "./encrypted.ts";
