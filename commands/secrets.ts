import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import {
  type CommandIO,
  type CommandSpec,
  defineCommand,
  type ParsedCommand,
  usageError,
} from "../lib/cli/command.ts";
import { EstateError } from "../lib/errors.ts";
import { loadEstate } from "../lib/estate/load.ts";
import { repositoryRoot } from "../lib/paths.ts";
import { writeClientSecrets } from "../lib/secrets/client.ts";
import { writeDatabaseSecrets } from "../lib/secrets/database.ts";
import { credentialIn } from "../lib/secrets/scanner.ts";
import { writeSecret } from "../lib/secrets/write.ts";
import { DNS_LABEL } from "../lib/synth/api-rules.ts";
import { DNS_SUBDOMAIN } from "../lib/synth/guards.ts";

const SECRETS: CommandSpec = {
  name: "secrets",
  usage: "set <cluster> <namespace>/<name> | client <client-id> | database <workload>",
  summary: `set writes secrets/<cluster>/<namespace>/<name>.sops.yaml: a Secret whose values are SOPS-encrypted for the
cluster's age recipients (clusters/<cluster>.ts, sops.age). Setting it again replaces it whole (rotation:
--generate gives a new random value). Then run \`npm run synth\` and commit both.
client writes everything an OIDC caller (lib/identity/clients.ts) needs, with a new client secret: the
secret on the identity home and in the caller's namespace, and the gateway's jwt and acl credentials
wherever it may call. Running it again rotates the client secret.
database writes, for every environment of a workload with a flow to a database, a new password as the
role's Secret beside the database and as the connection Secret (db-<database>) in the workload's
namespace. Running it again rotates them.`,
  options: {
    literal: {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      description: "a value given on the command line (it lands in your shell history)",
    },
    generate: {
      type: "string",
      multiple: true,
      value: "KEY",
      description: "a new random value (32 bytes, base64url)",
    },
    "from-file": { type: "string", multiple: true, value: "KEY=PATH", description: "the contents of a file" },
    type: {
      type: "string",
      value: "TYPE",
      description: "the Secret's type (default Opaque; kubernetes.io/basic-auth for database roles)",
    },
    label: {
      type: "string",
      multiple: true,
      value: "KEY=VALUE",
      description: "a label, left in clear text (e.g. konghq.com/credential=jwt)",
    },
  },
  positionals: { min: 2, max: 3 },
  examples: [
    "npm run secrets -- set rke2-core observability/loki-s3 --literal LOKI_S3_ACCESS_KEY_ID=loki --generate LOKI_S3_SECRET_ACCESS_KEY",
    "npm run secrets -- client otel-agent-rke2-edge",
    "npm run secrets -- database meetdata-api",
  ],
};
function fail(message: string): never {
  usageError(message);
}

export const main = defineCommand(SECRETS, async (parsed, io) => {
  const [command, name] = parsed.positionals;
  try {
    if (command === "client" && name && parsed.positionals.length === 2) return await client(name, io);
    if (command === "database" && name && parsed.positionals.length === 2) return await database(name, io);
    return await set(parsed, io);
  } catch (error) {
    if (!(error instanceof EstateError)) throw error;
    io.error(error.message);
    return 1;
  }
});

/** `secrets set <cluster> <namespace>/<name>`: one Secret, with values from the options. */
async function set({ values, positionals }: ParsedCommand, io: CommandIO): Promise<number> {
  const [command, clusterName, ref] = positionals;
  if (command !== "set" || !clusterName || !ref || positionals.length !== 3)
    fail("expected: set <cluster> <namespace>/<name>, client <client-id>, or database <workload>");
  const [namespace = "", name = "", ...rest] = ref.split("/");
  // The file lands at secrets/<cluster>/<namespace>/<name>.sops.yaml: names, never paths.
  if (rest.length || !DNS_LABEL.test(namespace) || !DNS_SUBDOMAIN.test(name))
    fail(`"${ref}" is not <namespace>/<name> (a DNS label and a DNS name; no paths)`);

  const data: Record<string, string> = {};
  const pair = (option: string, raw: string) => {
    const at = raw.indexOf("=");
    if (at < 1) fail(`--${option} ${raw}: expected KEY=…`);
    return [raw.slice(0, at), raw.slice(at + 1)] as const;
  };
  for (const raw of (values.literal as string[] | undefined) ?? []) {
    const [key, value] = pair("literal", raw);
    data[key] = value;
  }
  for (const raw of (values["from-file"] as string[] | undefined) ?? []) {
    const [key, path] = pair("from-file", raw);
    try {
      data[key] = readFileSync(resolve(io.cwd, path), "utf8");
    } catch (error) {
      fail(
        `--from-file ${raw}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`,
      );
    }
  }
  for (const key of (values.generate as string[] | undefined) ?? [])
    data[key] = randomBytes(32).toString("base64url");
  if (Object.keys(data).length === 0) fail("give at least one --literal, --generate or --from-file");

  const labels: Record<string, string> = {};
  for (const raw of (values.label as string[] | undefined) ?? []) {
    const [key, value] = pair("label", raw);
    // Labels stay in clear text: no credential may hide in one.
    const leak = credentialIn(value);
    if (leak) fail(`--label ${key}: holds ${leak}; labels are not encrypted, put it in --literal`);
    labels[key] = value;
  }

  const root = repositoryRoot(join(import.meta.dirname, ".."), io.cwd);
  const estate = await loadEstate(root, PLATFORM_COMPONENTS);
  const cluster = estate.clusters.find((c) => c.name === clusterName);
  if (!cluster)
    fail(
      `cluster "${clusterName}" is not in clusters/index.ts (known: ${estate.clusters.map((c) => c.name).join(", ")})`,
    );
  const file = await writeSecret(
    root,
    cluster,
    { namespace, name },
    { data, labels, type: (values.type as string | undefined) ?? "Opaque" },
  );
  io.log(
    `secrets: wrote ${file} (Secret ${namespace}/${name}, keys ${Object.keys(data).sort().join(", ")}; encrypted for ${cluster.sops.age.length} age recipient(s)). Next: npm run synth`,
  );
  return 0;
}

/** Runs a writer of several SOPS files on the estate and says what it wrote, or why it refused. */
async function writeFiles(
  io: CommandIO,
  what: string,
  write: (root: string, estate: Awaited<ReturnType<typeof loadEstate>>) => Promise<string[]>,
): Promise<number> {
  const root = repositoryRoot(join(import.meta.dirname, ".."), io.cwd);
  const estate = await loadEstate(root, PLATFORM_COMPONENTS);
  let files: string[];
  try {
    files = await write(root, estate);
  } catch (error) {
    io.error(`secrets: ${(error as Error).message}`);
    return 1;
  }
  io.log(`secrets: wrote ${files.length} files for ${what}:\n  ${files.join("\n  ")}\nNext: npm run synth`);
  return 0;
}

const client = (clientId: string, io: CommandIO) =>
  writeFiles(io, `client ${clientId}`, (root, estate) => writeClientSecrets(root, estate, clientId));
const database = (workload: string, io: CommandIO) =>
  writeFiles(io, `the database connections of ${workload}`, (root, estate) =>
    writeDatabaseSecrets(root, estate, workload),
  );
