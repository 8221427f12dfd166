import { z } from "zod";

/**
 * The Kyverno CLI's `Test` file (cli.kyverno.io/v1alpha1), the fields this project writes. The CLI
 * has no CRD for it; this strict schema keeps the shipped suites well-formed.
 */
export const KyvernoTestSchema = z.strictObject({
  apiVersion: z.literal("cli.kyverno.io/v1alpha1"),
  kind: z.literal("Test"),
  metadata: z.strictObject({ name: z.string().min(1) }),
  policies: z.array(z.string().min(1)).min(1),
  resources: z.array(z.string().min(1)).min(1),
  /** The Values file (below) with the labels of the namespaces the samples live in. */
  variables: z.string().min(1).optional(),
  results: z
    .array(
      z.strictObject({
        policy: z.string().min(1),
        isValidatingPolicy: z.literal(true).optional(),
        isImageValidatingPolicy: z.literal(true).optional(),
        isMutatingPolicy: z.literal(true).optional(),
        isGeneratingPolicy: z.literal(true).optional(),
        kind: z.string().min(1),
        resources: z.array(z.string().min(1)).min(1),
        result: z.enum(["pass", "fail", "skip"]),
        patchedResources: z.string().optional(),
        generatedResource: z.string().optional(),
      }),
    )
    .min(1),
});

/** The Kyverno CLI's `Values` file: the fields this project writes (namespace labels for namespaceSelectors). */
export const KyvernoValuesSchema = z.strictObject({
  apiVersion: z.literal("cli.kyverno.io/v1alpha1"),
  kind: z.literal("Values"),
  metadata: z.strictObject({ name: z.string().min(1) }),
  namespaceSelector: z
    .array(z.strictObject({ name: z.string().min(1), labels: z.record(z.string(), z.string()) }))
    .min(1),
});
