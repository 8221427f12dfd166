import { relative } from "node:path";
import type { Cluster } from "../inventory/model.ts";
import { toYaml } from "../k8s/yaml.ts";
import { type PolicySample, policySamples } from "../rules/samples.ts";
import type { RenderedObject } from "./render.ts";
import { objectPath } from "./tree.ts";

/** Where the Kyverno CLI suites go: beside dist/clusters/, so no Flux path ever applies them. */
export const POLICY_TESTS_DIR = "dist/policy-tests";

const RESULT_FLAG: Record<string, string> = {
  ValidatingPolicy: "isValidatingPolicy",
  ImageValidatingPolicy: "isImageValidatingPolicy",
  MutatingPolicy: "isMutatingPolicy",
  GeneratingPolicy: "isGeneratingPolicy",
};

/**
 * One `kyverno test` suite per policy: `kyverno-test.yaml` (cli.kyverno.io/v1alpha1 Test) pointing
 * at the rendered policy, the sample resources, and expected patched or generated resources.
 * Run them all with `kyverno test dist/policy-tests/`.
 */
export function policyTestFiles(
  objects: readonly RenderedObject[],
  clusters: readonly Cluster[],
): Map<string, string> {
  const files = new Map<string, string>();
  for (const cluster of clusters) {
    const samples = policySamples(cluster);
    const policies = objects.filter((o) => o.cluster === cluster && RESULT_FLAG[o.manifest.kind]);
    for (const policy of policies) {
      const name = policy.manifest.metadata?.name as string;
      const cases = samples[name];
      if (!cases) throw new Error(`policy ${name} has no samples in lib/rules/samples.ts`);
      const dir = `${POLICY_TESTS_DIR}/${cluster.name}/${name}`;
      const extra = (sample: PolicySample) => {
        const id = sample.resource.metadata.name;
        if (sample.patched) {
          files.set(`${dir}/patched-${id}.yaml`, toYaml(sample.patched));
          return { patchedResources: `patched-${id}.yaml` };
        }
        if (sample.generated) {
          files.set(`${dir}/generated-${id}.yaml`, toYaml(sample.generated));
          return { generatedResource: `generated-${id}.yaml` };
        }
        return {};
      };
      files.set(`${dir}/resources.yaml`, cases.map((c) => toYaml(c.resource)).join("---\n"));
      const values = namespaceValues(name, cases);
      if (values) files.set(`${dir}/values.yaml`, toYaml(values));
      const test = {
        apiVersion: "cli.kyverno.io/v1alpha1",
        kind: "Test",
        metadata: { name },
        policies: [relative(dir, objectPath(policy))],
        resources: ["resources.yaml"],
        ...(values ? { variables: "values.yaml" } : {}),
        results: cases.map((c) => ({
          policy: name,
          [RESULT_FLAG[policy.manifest.kind] as string]: true,
          kind: c.resource.kind,
          resources: [c.resource.metadata.name],
          result: c.expect,
          ...extra(c),
        })),
      };
      files.set(`${dir}/kyverno-test.yaml`, toYaml(test));
    }
  }
  return files;
}

/**
 * The labels of the namespaces the samples live in (`kubernetes.io/metadata.name`, as the API server
 * sets it), so the CLI can evaluate a policy's namespaceSelector as the cluster would.
 */
function namespaceValues(name: string, cases: readonly PolicySample[]) {
  const namespaces = [
    ...new Set(
      cases.map((c) => c.resource.metadata.namespace).filter((n): n is string => typeof n === "string"),
    ),
  ].sort();
  if (namespaces.length === 0) return undefined;
  return {
    apiVersion: "cli.kyverno.io/v1alpha1",
    kind: "Values",
    metadata: { name },
    namespaceSelector: namespaces.map((n) => ({ name: n, labels: { "kubernetes.io/metadata.name": n } })),
  };
}
