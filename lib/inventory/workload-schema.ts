import { z } from "zod";
import { DATA_LEVELS, type DataLevel, STAGES } from "./schema.ts";

export { DATA_LEVELS, type DataLevel };

const dnsLabel = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    "must be a DNS-1123 label (lowercase letters, digits and '-')",
  );
/** A Service name: the API server wants a DNS-1035 label (it starts with a letter). */
const workloadName = z
  .string()
  .regex(
    /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/,
    "must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, at most 63)",
  );
const dnsSubdomain = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "must be a DNS-1123 subdomain",
  );
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A ConfigMap or Secret key, as the API server accepts it. */
const isConfigKey = (k: string) => /^[-._a-zA-Z0-9]{1,253}$/.test(k) && k !== "." && k !== "..";
const configKey = z
  .string()
  .refine(isConfigKey, "must be a valid key ([-._a-zA-Z0-9], at most 253, not '.' or '..')");

/** A record whose keys are checked with a message naming the key (zod's own says only "Invalid key"). */
function keyedRecord<V extends z.ZodType>(valid: (key: string) => boolean, what: string, value: V) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record))
      if (!valid(key)) ctx.addIssue({ code: "custom", path: [key], message: `key "${key}" ${what}` });
  });
}
const envRecord = <V extends z.ZodType>(value: V) =>
  keyedRecord((k) => ENV_NAME.test(k), "must be an environment variable name (A-Z, 0-9, _)", value);
const cpuQuantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?m?$/, "must be a CPU quantity (cores, like 0.5 or 500m)");
/** Memory in bytes with a unit; `m` (milli) is refused: "512m" means half a byte, not 512 MiB. */
const quantity = z
  .string()
  .regex(
    /^[0-9]+((\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P))?$/,
    "must be a byte quantity like 512Mi or 2Gi ('m' would mean thousandths of a byte)",
  );
const compute = z.strictObject({ cpu: cpuQuantity, memory: quantity });

/** Blitz: test, fast, downtime acceptable. Cautious: prod minor. Paranoid: prod major, one pod at a time. */
export const ROLLOUT_PROFILES = ["blitz", "cautious", "paranoid"] as const;
export type RolloutProfile = (typeof ROLLOUT_PROFILES)[number];

export const WorkloadInputSchema = z.strictObject({
  name: workloadName,
  description: z.string().min(1),
  /** The application group; its namespace is `<group>` on prod clusters, `<stage>-<group>` elsewhere. */
  group: dnsLabel,
  /** Image repository without tag or digest; each environment pins its own version below. */
  image: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.:/_-]*$/, "must be an image repository without tag or digest")
    .refine(
      (image) => !/[:@]/.test(image.slice(image.lastIndexOf("/") + 1)),
      "must not carry a tag or digest: each environment pins its version under deploy",
    ),
  /** Data classification: high never leaves the datacenter, medium only anonymised, low anywhere. */
  dataLevel: z.enum(DATA_LEVELS),
  port: z.number().int().min(1).max(65535),
  resources: z.strictObject({ requests: compute, limits: compute }),
  gpu: z.number().int().min(1).optional(),
  replicas: z.number().int().min(1).optional(),
  /** Other workloads (same cluster and environment) this one calls; rendered on both sides. */
  flows: z
    .array(
      z.strictObject({
        to: dnsLabel,
        port: z.number().int().min(1).max(65535).optional(),
        /** Environments the flow exists in (default: every one the workload runs in). */
        stages: z.array(z.enum(STAGES)).min(1).optional(),
      }),
    )
    .optional(),
  /** HTTP health endpoint; without it the probes check the TCP port. */
  health: z
    .strictObject({
      path: z.string().startsWith("/"),
      /** How long the workload may take to start (model loading): the startup probe waits this long. */
      startupSeconds: z.number().int().min(10).max(3600).optional(),
    })
    .optional(),
  /** HTTP routes on the cluster's Kong gateway (public on cloud clusters, internal on-prem). */
  routes: z
    .array(
      z.strictObject({
        /** Host label; the host is `<host>.<cluster domain>` (`<host>.<stage>.<domain>` in non-prod). */
        host: dnsLabel,
        path: z.string().startsWith("/"),
        /**
         * Only these may call, each with a token of its own Keycloak client (Kong `jwt` on `azp`,
         * then `acl`): `callers`, workloads of the estate (a confidential client each, client
         * credentials); `publicClients`, clients that people or their tools sign in with (public,
         * device authorization grant: no secret to keep), such as the uploaders of a forwarded route.
         */
        jwt: z
          .strictObject({
            callers: z.array(dnsLabel).min(1).optional(),
            publicClients: z.array(dnsLabel).min(1).optional(),
          })
          .refine((j) => j.callers || j.publicClients, "name callers, publicClients or both")
          .transform((j) => ({ callers: j.callers ?? [], publicClients: j.publicClients ?? [] }))
          .optional(),
        /** A cloud cluster whose public gateway forwards this route through the tunnel to this one. */
        publishVia: z.string().optional(),
        /**
         * A declared anonymising step: the route's answers carry data up to `level` whatever the
         * workload holds, for the reason given (reviewed like code; the data-flow proof relies on it).
         */
        returns: z.strictObject({ level: z.enum(DATA_LEVELS), why: z.string().min(20) }).optional(),
      }),
    )
    .optional(),
  /** Rollout profile per environment; default blitz in dev/test, cautious in acc/prod. */
  rollout: z.partialRecord(z.enum(STAGES), z.enum(ROLLOUT_PROFILES)).optional(),
  /** Horizontal autoscaling on CPU (cloud frontends). */
  autoscale: z
    .strictObject({
      min: z.number().int().min(1),
      max: z.number().int().min(1),
      cpuPercent: z.number().int().min(10).max(100),
    })
    .refine((a) => a.min <= a.max, { message: "min must not exceed max", path: ["min"] })
    .optional(),
  /** AI serving: model files on a volume filled inside the datacenter, and shared memory. */
  models: z.strictObject({ volumeSize: quantity, sharedMemory: quantity }).optional(),
  /** A persistent volume for the workload's own data, mounted read-write at `path`. */
  storage: z.strictObject({ size: quantity, path: z.string().startsWith("/") }).optional(),
  /** Named external endpoints (from the cluster inventory) this workload may call. */
  egress: z.array(dnsLabel).optional(),
  /** It anonymises medium data before any leaves for an external language model (the router). */
  anonymises: z.boolean().optional(),
  /** Configuration files, mounted read-only under /etc/<name>/. */
  config: keyedRecord(
    isConfigKey,
    "must be a valid key ([-._a-zA-Z0-9], at most 253, not '.' or '..')",
    z.string(),
  ).optional(),
  env: envRecord(z.string()).optional(),
  /**
   * Environment variables from a Secret in the workload's namespace (create it with
   * `npm run secrets -- set`): the way to give a workload a password, token or key.
   */
  secretEnv: envRecord(z.strictObject({ secret: dnsSubdomain, key: configKey })).optional(),
  /** Container arguments (the image's entrypoint stays). */
  args: z.array(z.string()).optional(),
  /** Where each OTAP environment runs, with its version pin (a tag or `sha256:` digest). */
  deploy: z.partialRecord(
    z.enum(STAGES),
    z.strictObject({ cluster: z.string().min(1), version: z.string().min(1) }),
  ),
});

export type WorkloadInput = z.input<typeof WorkloadInputSchema>;

export function defineWorkload(workload: WorkloadInput): WorkloadInput {
  return workload;
}
