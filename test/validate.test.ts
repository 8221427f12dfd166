import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { validateDist } from "../lib/validate/index.ts";
import { objectsOf, renderFixtureEstate, sandboxWithDist } from "./helpers.ts";

let tree: FileTree;
beforeAll(async () => {
  ({ tree } = await renderFixtureEstate());
});

/**
 * For every kind the estate renders, a field its schema requires. A new kind fails this test until
 * it is added here, so "removing a required field is caught" keeps covering every rendered object.
 */
const REQUIRED: Record<string, (string | number)[]> = {
  Namespace: ["apiVersion"],
  Secret: ["apiVersion"],
  FluxInstance: ["spec", "distribution"],
  Kustomization: ["spec", "sourceRef"],
  Provider: ["spec", "type"],
  Alert: ["spec", "providerRef"],
  HelmRepository: ["spec", "url"],
  GitRepository: ["spec", "url"],
  OCIRepository: ["spec", "url"],
  HelmRelease: ["spec", "interval"],
  ValidatingPolicy: ["apiVersion"],
  MutatingPolicy: ["apiVersion"],
  ImageValidatingPolicy: ["spec", "attestors"],
  PolicyException: ["spec", "policyRefs"],
  GeneratingPolicy: ["spec", "generate"],
  ClusterRole: ["apiVersion"],
  ServiceAccount: ["apiVersion"],
  Deployment: ["spec", "selector"],
  Service: ["kind"],
  NetworkPolicy: ["apiVersion"],
  RoleBinding: ["roleRef"],
  HTTPRoute: ["spec", "parentRefs", 0, "name"],
  Gateway: ["spec", "gatewayClassName"],
  GatewayClass: ["spec", "controllerName"],
  KongPlugin: ["plugin"],
  KongClusterPlugin: ["plugin"],
  KongConsumer: ["apiVersion"],
  PodDisruptionBudget: ["apiVersion"],
  HorizontalPodAutoscaler: ["spec", "maxReplicas"],
  ConfigMap: ["apiVersion"],
  PersistentVolumeClaim: ["apiVersion"],
  // spec.instances is required but defaulted (1), and the API server defaults before it validates.
  Cluster: ["spec"],
  ScheduledBackup: ["spec", "schedule"],
  Publication: ["spec", "dbname"],
  Subscription: ["spec", "externalClusterName"],
  CronJob: ["spec", "schedule"],
  Keycloak: ["apiVersion"],
  KeycloakRealmImport: ["spec", "realm"],
  ClusterIssuer: ["spec"],
  Certificate: ["spec", "secretName"],
  ObjectStore: ["spec", "configuration"],
};

function edit(root: string, path: string, change: (doc: Record<string, any>) => void): void {
  const file = join(root, path);
  const doc = parse(readFileSync(file, "utf8"));
  change(doc);
  writeFileSync(file, stringify(doc));
}

describe("npm run validate", () => {
  it("accepts the default estate: every object, kustomize build and Flux reference", async () => {
    const report = await validateDist(sandboxWithDist(tree), PLATFORM_COMPONENTS);
    expect(report.problems).toEqual([]);
    const suiteDocs = [...tree.entries()]
      // the mirror manifests are compared with the hydrated estate, the review documents are no objects
      .filter(
        ([path]) =>
          !["dist/clusters/", "dist/mirror/", "dist/docs/"].some((dir) => path.startsWith(dir)) &&
          path.endsWith(".yaml"),
      )
      .reduce((n, [, content]) => n + content.split(/^---$/m).length, 0);
    expect(report.objects).toBe(objectsOf(tree).length + suiteDocs);
    // entry + three layers, per cluster, each built with the real kustomize
    expect(report.kustomizeBuilds).toBe(report.graphs.length * 4);
    for (const graph of report.graphs) {
      const built = graph.applied.flatMap((a) => a.objects).length;
      expect(built).toBe(objectsOf(tree).filter((o) => o.cluster === graph.cluster).length);
    }
  });

  it("names the file and object of every rendered object that lost a required field", async () => {
    const root = sandboxWithDist(tree);
    const objects = objectsOf(tree);
    for (const o of objects) {
      const path = REQUIRED[o.manifest.kind];
      expect(path, `no required field listed for kind ${o.manifest.kind}`).toBeDefined();
      edit(root, o.path, (doc) => {
        const parent = (path as (string | number)[]).slice(0, -1).reduce((d, k) => d[k], doc);
        delete parent[(path as (string | number)[]).at(-1) as string | number];
      });
    }
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    for (const o of objects) {
      expect(
        problems.some((p) => p.startsWith(`${o.path}:`)),
        `${o.path} not reported`,
      ).toBe(true);
    }
  });

  it("fails when a Kustomization points at a missing path", async () => {
    const root = sandboxWithDist(tree);
    edit(root, "dist/clusters/rke2-core/kustomization-configs.yaml", (doc) => {
      doc.spec.path = "./dist/clusters/rke2-core/config";
    });
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    expect(problems).toContainEqual(
      expect.stringContaining(
        'Kustomization "flux-system/configs" points at dist/clusters/rke2-core/config, which has no kustomization.yaml',
      ),
    );
  });

  it("fails on a dangling sourceRef, dependsOn or chart source", async () => {
    const root = sandboxWithDist(tree);
    edit(root, "dist/clusters/rke2-cloud/kustomization-apps.yaml", (doc) => {
      doc.spec.dependsOn = [{ name: "config" }];
    });
    edit(root, "dist/clusters/rke2-core/controllers/kong/helmrelease-kong.yaml", (doc) => {
      doc.spec.chartRef.name = "konghq";
    });
    edit(root, "dist/clusters/rke2-core/controllers/cnpg-system/helmrelease-cloudnative-pg.yaml", (doc) => {
      doc.spec.chartRef.name = "cnpg";
    });
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    expect(problems.join("\n")).toContain(
      'Kustomization "flux-system/apps" dependsOn Kustomization "flux-system/config" does not exist',
    );
    expect(problems.join("\n")).toContain(
      'HelmRelease "kong/kong" chartRef OCIRepository "kong/konghq" does not exist',
    );
    expect(problems.join("\n")).toContain(
      'HelmRelease "cnpg-system/cloudnative-pg" chartRef OCIRepository "cnpg-system/cnpg" does not exist',
    );
  });

  it("fails on files kustomize would ignore or cannot find", async () => {
    const root = sandboxWithDist(tree);
    writeFileSync(
      join(root, "dist/clusters/rke2-cloud/apps/namespace-stray.yaml"),
      stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "stray" } }),
    );
    rmSync(join(root, "dist/clusters/rke2-cloud/controllers/kong/ocirepository-kong.yaml"));
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    expect(problems).toContain(
      "dist/clusters/rke2-cloud/apps/namespace-stray.yaml: not listed in kustomization.yaml; kustomize would ignore it",
    );
    expect(problems).toContainEqual(
      expect.stringContaining("lists ocirepository-kong.yaml, which does not exist"),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/controllers: cluster "rke2-cloud": kustomize build failed/),
    );
  });

  it("treats a kind without a schema as an error, not a skip", async () => {
    const root = sandboxWithDist(tree);
    edit(root, "dist/clusters/rke2-cloud/controllers/namespace-kong.yaml", (doc) => {
      doc.apiVersion = "example.waterschap/v1";
    });
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /namespace-kong\.yaml: Namespace "kong": no schema known for API group "example.waterschap"/,
      ),
    );
  });

  it("fails when the entry loses its FluxInstance (the bootstrap trap)", async () => {
    const root = sandboxWithDist(tree);
    rmSync(join(root, "dist/clusters/rke2-core/fluxinstance-flux.yaml"));
    edit(root, "dist/clusters/rke2-core/kustomization.yaml", (doc) => {
      doc.resources = doc.resources.filter((r: string) => r !== "fluxinstance-flux.yaml");
    });
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    expect(problems).toContainEqual(
      expect.stringContaining("exactly one FluxInstance syncing dist/clusters/rke2-core (found 0)"),
    );
  });

  it("fails when a directory is never applied by any Kustomization", async () => {
    const root = sandboxWithDist(tree);
    edit(root, "dist/clusters/rke2-core/kustomization.yaml", (doc) => {
      doc.resources = doc.resources.filter((r: string) => r !== "kustomization-apps.yaml");
    });
    rmSync(join(root, "dist/clusters/rke2-core/kustomization-apps.yaml"));
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    expect(problems).toContain(
      'dist/clusters/rke2-core/apps: cluster "rke2-core": no Flux Kustomization points at this directory; Flux never applies it',
    );
  });

  it("runs synth's guards on dist/: a hand edit that synth would refuse does not pass", async () => {
    const root = sandboxWithDist(tree);
    edit(root, "dist/clusters/rke2-core/apps/meetdata/deployment-meetdata-api.yaml", (doc) => {
      doc.spec.template.metadata.labels["cdk8s.io/metadata.addr"] = "c8a1b2";
      doc.spec.template.spec.containers[0].image = "docker.io/library/meetdata-api:3.1.4";
    });
    edit(root, "dist/clusters/rke2-core/apps/namespace-meetdata.yaml", (doc) => {
      delete doc.metadata.labels["pod-security.kubernetes.io/enforce"];
    });
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    const text = problems.join("\n");
    expect(text).toContain(
      'dist/clusters/rke2-core/apps/meetdata/deployment-meetdata-api.yaml: cluster "rke2-core": rule stable-names',
    );
    expect(text).toContain(
      'dist/clusters/rke2-core/apps/meetdata/deployment-meetdata-api.yaml: cluster "rke2-core": rule offline-sources',
    );
    expect(text).toContain(
      'dist/clusters/rke2-core/apps/namespace-meetdata.yaml: cluster "rke2-core": rule pod-security',
    );
  });

  it("evaluates the CRDs' CEL rules on hand-edited objects, as the API server does", async () => {
    const root = sandboxWithDist(tree);
    const route = "dist/clusters/rke2-core/apps/identity/httproute-sso.yaml";
    edit(root, route, (doc) => {
      doc.spec.rules[0].filters = [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }];
    });
    const release = "dist/clusters/rke2-core/controllers/cnpg-system/helmrelease-plugin-barman-cloud.yaml";
    edit(root, release, (doc) => {
      doc.spec.chart = { spec: { chart: "x", sourceRef: { kind: "HelmRepository", name: "y" } } };
    });
    const { problems } = await validateDist(root, PLATFORM_COMPONENTS);
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${route}: .*spec\\.rules\\[0\\]: Invalid value: "object": RequestRedirect filter must not be used together with backendRefs`,
        ),
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${release}: .*spec: Invalid value: "object": either chart or chartRef must be set`),
      ),
    );
  });

  it("says what to do when dist/ is gone, instead of crashing", async () => {
    const root = sandboxWithDist(tree);
    rmSync(join(root, "dist"), { recursive: true });
    expect((await validateDist(root, PLATFORM_COMPONENTS)).problems).toEqual([
      "dist/ does not exist; run `npm run synth`",
    ]);
  });
});
