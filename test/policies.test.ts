import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  judgeRequest,
  type KyvernoConfig,
  namespaceObject,
  requestFor,
} from "../lib/admission/kyverno/index.ts";
import { mutateRequest } from "../lib/admission/kyverno/mutate.ts";
import type { Estate } from "../lib/inventory/model.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { policySamples } from "../lib/rules/samples.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { objectsOf, renderFixtureEstate, specOf, type TreeObject } from "./helpers.ts";

let estate: Estate;
let tree: FileTree;
let objects: TreeObject[];
beforeAll(async () => {
  ({ estate, tree } = await renderFixtureEstate());
  objects = objectsOf(tree);
});

const policiesOf = (cluster: string) =>
  objects.filter(
    (o) =>
      o.cluster === cluster &&
      o.manifest.apiVersion === "policies.kyverno.io/v1" &&
      o.manifest.kind !== "PolicyException",
  );
const names = (list: TreeObject[]) =>
  list.map((o) => `${o.manifest.kind}/${o.manifest.metadata?.name}`).sort();

describe("Kyverno policies on the rendered tree", () => {
  it("are CEL kinds (policies.kyverno.io/v1) in the configs layer; no deprecated ClusterPolicy", () => {
    expect(objects.some((o) => o.manifest.kind === "ClusterPolicy")).toBe(false);
    for (const cluster of estate.clusters) {
      for (const policy of policiesOf(cluster.name)) expect(policy.layer).toBe("configs");
    }
  });

  it("geo-fence: cloud clusters deny data-level=high, on-prem clusters pin it to on-prem nodes", () => {
    for (const cluster of estate.clusters) {
      const present = names(policiesOf(cluster.name));
      const deny = "ValidatingPolicy/geo-fence-high-data";
      const pin = "MutatingPolicy/geo-fence-high-data-on-prem-nodes";
      expect(present.includes(deny)).toBe(cluster.location === "cloud");
      expect(present.includes(pin)).toBe(cluster.location === "on-prem");
    }
    const [deny] = policiesOf("rke2-cloud").filter(
      (o) => o.manifest.metadata?.name === "geo-fence-high-data",
    );
    expect(specOf(deny).autogen.podControllers.controllers).toEqual(
      expect.arrayContaining(["deployments", "statefulsets", "daemonsets", "jobs", "cronjobs"]),
    );
  });

  it("enforce on prod clusters and audit on non-prod, as the OTAP stage says", () => {
    for (const cluster of estate.clusters) {
      const validating = policiesOf(cluster.name).filter((p) => /ValidatingPolicy$/.test(p.manifest.kind));
      expect(validating.length, cluster.name).toBeGreaterThan(3);
      for (const policy of policiesOf(cluster.name)) {
        // Validating kinds must say what a failure does; mutating and generating kinds have no actions.
        if (!/ValidatingPolicy$/.test(policy.manifest.kind)) continue;
        const actions = (policy.manifest.spec as any).validationActions;
        expect(actions, `${cluster.name} ${policy.manifest.kind} ${policy.manifest.metadata?.name}`).toEqual(
          cluster.production ? ["Deny"] : ["Audit"],
        );
      }
    }
  });

  it("verify signatures with the organisation's cosign key from the inventory, offline", () => {
    for (const cluster of estate.clusters) {
      const [ivp] = policiesOf(cluster.name).filter((o) => o.manifest.kind === "ImageValidatingPolicy");
      const spec = ivp?.manifest.spec as any;
      expect(spec.matchImageReferences).toEqual([{ glob: `${cluster.images.registry}/*` }]);
      expect(spec.attestors[0].cosign.key.data.trim()).toBe(cluster.images.cosignPublicKeyPem);
      expect(spec.attestors[0].cosign.ctlog).toEqual({ insecureIgnoreTlog: true, insecureIgnoreSCT: true });
      expect(spec.validations[0].expression).toContain(
        "verifyImageSignatures(image, [attestors.waterschap])",
      );
    }
  });

  it("give namespaces created outside Git a default-deny NetworkPolicy", () => {
    for (const cluster of estate.clusters) {
      const [gp] = policiesOf(cluster.name).filter((o) => o.manifest.kind === "GeneratingPolicy");
      const spec = gp?.manifest.spec as any;
      expect(spec.matchConditions[0].expression).toContain("kustomize.toolkit.fluxcd.io/name");
      expect(spec.variables[0].expression).toContain('"policyTypes": ["Ingress", "Egress"]');
      expect(spec.generate[0].expression).toBe("generator.Apply(object.metadata.name, variables.policies)");
    }
  });
});

describe("ValidatingPolicy logic, judged by the admission engine on the shipped samples", () => {
  /** The proof's own Kyverno engine (lib/admission/kyverno), one policy at a time. */
  const findings = (policy: TreeObject, resource: Manifest) => {
    const namespace = resource.metadata?.namespace;
    const config: KyvernoConfig = { policies: [policy.manifest], exceptions: [], resourceFilters: [] };
    return judgeRequest(requestFor(resource), namespace ? namespaceObject(namespace, {}) : null, config);
  };

  it("admits every passing sample and rejects every failing one, on every cluster", () => {
    for (const cluster of estate.clusters) {
      const samples = policySamples(cluster);
      const validating = policiesOf(cluster.name).filter((o) => o.manifest.kind === "ValidatingPolicy");
      expect(validating.length).toBeGreaterThanOrEqual(4);
      for (const policy of validating) {
        const name = policy.manifest.metadata?.name as string;
        const cases = samples[name];
        expect(cases, `no samples for policy ${name}`).toBeDefined();
        expect(cases?.some((c) => c.expect === "pass") && cases?.some((c) => c.expect === "fail")).toBe(true);
        for (const sample of cases ?? []) {
          const found = findings(policy, sample.resource as Manifest);
          expect(
            found.filter((f) => f.cannotProve),
            `${cluster.name} ${name}`,
          ).toEqual([]);
          expect(found.length === 0, `${cluster.name} ${name} ${sample.resource.metadata.name}`).toBe(
            sample.expect !== "fail",
          );
        }
      }
    }
  });

  it("mutates every sample of a MutatingPolicy into its patched resource, and leaves a skipped one alone", () => {
    for (const cluster of estate.clusters) {
      const samples = policySamples(cluster);
      const mutating = policiesOf(cluster.name).filter((o) => o.manifest.kind === "MutatingPolicy");
      expect(mutating.map((o) => o.manifest.metadata?.name)).toContain("default-pod-security-level");
      for (const policy of mutating) {
        const name = policy.manifest.metadata?.name as string;
        for (const sample of samples[name] ?? []) {
          const config = { policies: [policy.manifest], exceptions: [], resourceFilters: [] };
          const { request, findings } = mutateRequest(requestFor(sample.resource as Manifest), null, config);
          expect(findings, `${cluster.name} ${name}`).toEqual([]);
          expect(request.object, `${cluster.name} ${name} ${sample.resource.metadata.name}`).toEqual(
            sample.expect === "pass" ? sample.patched : sample.resource,
          );
        }
      }
    }
  });

  it("a mutating policy whose match condition cannot be evaluated is never skipped in silence", () => {
    const policy = (expression: string, failurePolicy?: string) => ({
      apiVersion: "policies.kyverno.io/v1",
      kind: "MutatingPolicy",
      metadata: { name: "m" },
      spec: {
        ...(failurePolicy ? { failurePolicy } : {}),
        matchConstraints: {
          resourceRules: [
            { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["namespaces"] },
          ],
        },
        matchConditions: [{ name: "c", expression }],
        mutations: [],
      },
    });
    const made = requestFor({ apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } });
    const run = (p: Manifest) =>
      mutateRequest(made, null, { policies: [p], exceptions: [], resourceFilters: [] }).findings;
    // a library this environment lacks: cannot prove
    expect(run(policy("quantity('1Gi').isGreaterThan(quantity('1'))"))).toEqual([
      expect.objectContaining({ cannotProve: true, actions: ["Deny"] }),
    ]);
    // an expression that errors: the request fails, as the webhook's failurePolicy Fail does
    const erring = run(policy("object.metadata.labels['x'] == 'y'"));
    expect(erring).toEqual([expect.objectContaining({ actions: ["Deny"] })]);
    expect(erring[0]?.cannotProve).toBeUndefined();
    expect(run(policy("object.metadata.labels['x'] == 'y'", "Ignore"))).toEqual([]);
  });

  it("a namespace made outside Git gets restricted before the label policy judges it", () => {
    const cluster = estate.clusters[0]?.name as string;
    const config = {
      policies: policiesOf(cluster).map((o) => o.manifest),
      exceptions: [],
      resourceFilters: [],
    };
    const made = { apiVersion: "v1", kind: "Namespace", metadata: { name: "cattle-impersonation-system" } };
    expect(judgeRequest(requestFor(made), null, config)).toEqual([]);
    const withoutDefault = {
      ...config,
      policies: config.policies.filter((p) => p.kind !== "MutatingPolicy"),
    };
    expect(judgeRequest(requestFor(made), null, withoutDefault).map((f) => f.policy)).toEqual([
      "require-pod-security-level",
    ]);
  });
});

describe("Kyverno CLI tests shipped beside the Flux tree", () => {
  it("one kyverno-test.yaml per policy, outside every Flux path, with passing and failing resources", () => {
    for (const cluster of estate.clusters) {
      for (const policy of policiesOf(cluster.name)) {
        const name = policy.manifest.metadata?.name;
        const dir = `dist/policy-tests/${cluster.name}/${name}`;
        const test = parse(tree.get(`${dir}/kyverno-test.yaml`) ?? "null");
        expect(test?.kind, dir).toBe("Test");
        expect(test.apiVersion).toBe("cli.kyverno.io/v1alpha1");
        const policyFile = `${dir}/${test.policies[0]}`.split("/").reduce<string[]>((parts, p) => {
          if (p === "..") parts.pop();
          else parts.push(p);
          return parts;
        }, []);
        expect(policyFile.join("/")).toBe(policy.path);
        const results = test.results.map((r: any) => r.result);
        expect(results).toContain("pass");
        // Pod samples carry their namespace's labels, so the CLI can evaluate namespaceSelectors.
        const samples = parse(
          `[${(tree.get(`${dir}/resources.yaml`) ?? "")
            .split("---\n")
            .map((d) => JSON.stringify(parse(d)))
            .join(",")}]`,
        );
        const namespaces = [...new Set(samples.map((r: any) => r.metadata.namespace).filter(Boolean))];
        if (namespaces.length) {
          const values = parse(tree.get(`${dir}/${test.variables}`) ?? "null");
          expect(values?.kind, dir).toBe("Values");
          for (const ns of namespaces)
            expect(values.namespaceSelector).toContainEqual({
              name: ns,
              labels: { "kubernetes.io/metadata.name": ns },
            });
        }
        expect(results.some((r: string) => r === "fail" || r === "skip")).toBe(true);
      }
    }
  });
});

describe("the policy invariants hold for every workload rendered", () => {
  const podsOf = (o: TreeObject) => {
    const spec = specOf(o);
    const template = o.manifest.kind === "CronJob" ? spec.jobTemplate.spec.template : spec.template;
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: o.manifest.metadata?.name, ...template.metadata },
      spec: template.spec,
    };
  };

  it("every pod template passes each of its cluster's ValidatingPolicies, judged by the admission engine", () => {
    let checked = 0;
    for (const cluster of estate.clusters) {
      const config: KyvernoConfig = {
        policies: policiesOf(cluster.name).map((p) => p.manifest),
        exceptions: objects
          .filter((o) => o.cluster === cluster.name && o.manifest.kind === "PolicyException")
          .map((o) => o.manifest),
        resourceFilters: [],
      };
      const templates = objects.filter(
        (o) => o.cluster === cluster.name && ["Deployment", "CronJob"].includes(o.manifest.kind),
      );
      expect(templates.length).toBeGreaterThan(0);
      for (const template of templates) {
        const namespace = template.manifest.metadata?.namespace ?? "";
        const pod = {
          ...podsOf(template),
          metadata: { ...podsOf(template).metadata, namespace },
        } as Manifest;
        const found = judgeRequest(requestFor(pod), namespaceObject(namespace, {}), config);
        expect(found, template.path).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
