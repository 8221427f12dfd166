/**
 * Whether a parsed document is a SOPS-encrypted file as Flux decrypts it: SOPS metadata with age
 * recipients and a MAC, and every value under `data` and `stringData` encrypted (`ENC[...]`). Kept
 * apart from the cipher code so that synth and validate can ask without loading age.
 */
export function isSopsEncrypted(document: unknown): boolean {
  const doc = document as
    | { sops?: { age?: unknown; mac?: unknown }; data?: object; stringData?: object }
    | undefined;
  if (!doc?.sops || !Array.isArray(doc.sops.age) || typeof doc.sops.mac !== "string") return false;
  const values = [doc.data, doc.stringData].flatMap((v) => Object.values(v ?? {}));
  return values.every((v) => typeof v === "string" && v.startsWith("ENC["));
}
