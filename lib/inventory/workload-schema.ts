import { z } from "zod";
import { STAGES } from "./schema.ts";

const dnsLabel = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    "must be a DNS-1123 label (lowercase letters, digits and '-')",
  );
const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, "must be a Kubernetes quantity");
const compute = z.strictObject({ cpu: quantity, memory: quantity });

export const DATA_LEVELS = ["low", "medium", "high"] as const;
export type DataLevel = (typeof DATA_LEVELS)[number];

export const WorkloadInputSchema = z.strictObject({
  name: dnsLabel,
  description: z.string().min(1),
  /** The application group; its namespace is `<group>` on prod clusters, `<stage>-<group>` elsewhere. */
  group: dnsLabel,
  /** Image repository without tag or digest; each environment pins its own version below. */
  image: z.string().regex(/^[a-z0-9][a-z0-9.:/_-]*$/, "must be an image repository without tag or digest"),
  /** Data classification: high never leaves the datacenter, medium only anonymised, low anywhere. */
  dataLevel: z.enum(DATA_LEVELS),
  port: z.number().int().min(1).max(65535),
  resources: z.strictObject({ requests: compute, limits: compute }),
  gpu: z.number().int().min(1).optional(),
  replicas: z.number().int().min(1).optional(),
  /** Other workloads (same cluster and environment) this one calls; rendered on both sides. */
  flows: z
    .array(z.strictObject({ to: dnsLabel, port: z.number().int().min(1).max(65535).optional() }))
    .optional(),
  /** The cluster's Kong gateway may forward traffic to this workload. */
  fromGateway: z.boolean().optional(),
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
