import { z } from "zod";

/**
 * The FluxInstance fields this project renders, typed by hand from the Flux Operator documentation
 * (https://fluxoperator.dev/docs/crd/fluxinstance/). The operator's own CRD is AGPL-3.0, so it is not
 * copied here or generated from; this strict schema is what `npm run validate` checks FluxInstance
 * objects against, so a field the project starts rendering must be added here first.
 */
const duration = z.string().regex(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/);

export const FluxInstanceSchema = z.strictObject({
  apiVersion: z.literal("fluxcd.controlplane.io/v1"),
  kind: z.literal("FluxInstance"),
  metadata: z.strictObject({
    name: z.string().min(1),
    namespace: z.string().min(1),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    distribution: z.strictObject({
      version: z.string().min(1),
      registry: z.string().min(1),
      artifact: z
        .string()
        .regex(/^oci:\/\/.*$/)
        .optional(),
    }),
    components: z
      .array(
        z.enum([
          "source-controller",
          "kustomize-controller",
          "helm-controller",
          "notification-controller",
          "image-reflector-controller",
          "image-automation-controller",
          "source-watcher",
        ]),
      )
      .optional(),
    cluster: z
      .strictObject({
        type: z.enum(["kubernetes", "openshift", "aws", "azure", "gcp"]).optional(),
        size: z.enum(["small", "medium", "large"]).optional(),
        multitenant: z.boolean().optional(),
        networkPolicy: z.boolean().optional(),
        domain: z.string().optional(),
      })
      .optional(),
    kustomize: z
      .strictObject({
        patches: z.array(
          z.strictObject({
            patch: z.string().min(1),
            target: z.strictObject({ kind: z.string().optional(), name: z.string().optional() }).optional(),
          }),
        ),
      })
      .optional(),
    sync: z
      .strictObject({
        kind: z.enum(["OCIRepository", "GitRepository", "Bucket"]),
        url: z.string().min(1),
        ref: z.string().min(1),
        path: z.string().min(1),
        interval: duration.optional(),
        pullSecret: z.string().optional(),
        name: z.string().max(63).optional(),
      })
      .optional(),
    wait: z.boolean().optional(),
  }),
});

export type FluxInstance = z.infer<typeof FluxInstanceSchema>;
