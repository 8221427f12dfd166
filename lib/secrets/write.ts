import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import type { Cluster } from "../inventory/model.ts";
import { secretFile } from "./files.ts";
import { encryptSops } from "./sops.ts";

export interface SecretContent {
  readonly data: Readonly<Record<string, string>>;
  readonly type?: string;
  /** Labels stay readable (SOPS encrypts only data and stringData). */
  readonly labels?: Readonly<Record<string, string>>;
}

const sortKeys = (value: unknown): unknown =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(
        Object.keys(value as object)
          .sort()
          .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
      )
    : value;

/**
 * Encrypts a Secret for the cluster's age recipients and writes it to
 * secrets/<cluster>/<namespace>/<name>.sops.yaml under `root`, replacing any previous one whole.
 * Returns the repository-relative file.
 */
export async function writeSecret(
  root: string,
  cluster: Cluster,
  ref: { namespace: string; name: string },
  content: SecretContent,
): Promise<string> {
  const labels = content.labels && Object.keys(content.labels).length ? { labels: content.labels } : {};
  const manifest = sortKeys({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: ref.name, namespace: ref.namespace, ...labels },
    stringData: content.data,
    type: content.type ?? "Opaque",
  });
  const encrypted = await encryptSops(manifest as Record<string, unknown>, cluster.sops.age);
  const file = secretFile(cluster.name, ref.namespace, ref.name);
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), stringify(encrypted, { lineWidth: 0 }));
  return file;
}
