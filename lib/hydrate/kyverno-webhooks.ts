import type { Manifest } from "../k8s/model-object.ts";
import type { HydratedObject } from "./index.ts";

/**
 * The webhook configurations Kyverno's admission controller registers itself at start (pkg/config:
 * `kyverno-resource-validating-webhook-cfg` and `kyverno-resource-mutating-webhook-cfg`, both calling
 * the `kyverno-svc` Service of its namespace on 443): they are in no chart, but the API server calls
 * them for every pod.
 */
export function kyvernoWebhooks(objects: readonly HydratedObject[]): Manifest[] {
  const service = objects.find(
    (o) => o.manifest.kind === "Service" && o.manifest.metadata?.name === "kyverno-svc",
  );
  const namespace = service?.manifest.metadata?.namespace;
  if (!namespace) return [];
  const hook = (name: string, path: string) => ({
    name,
    admissionReviewVersions: ["v1"],
    sideEffects: "NoneOnDryRun",
    failurePolicy: "Fail",
    clientConfig: { service: { namespace, name: "kyverno-svc", path, port: 443 } },
  });
  return [
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: { name: "kyverno-resource-validating-webhook-cfg" },
      webhooks: [hook("validate.kyverno.svc-fail", "/validate/fail")],
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "MutatingWebhookConfiguration",
      metadata: { name: "kyverno-resource-mutating-webhook-cfg" },
      webhooks: [hook("mutate.kyverno.svc-fail", "/mutate/fail")],
    },
  ];
}
