import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { admissionReport } from "../lib/admission/index.ts";
import { selectorMatches } from "../lib/admission/label-selector.ts";
import { FLUX_IMAGES, FLUX_OPERATOR } from "../lib/flux/constants.ts";
import { gpuNodesOf } from "../lib/hydrate/gpu-operands.ts";
import { type HydratedObject, hydrate } from "../lib/hydrate/index.ts";
import type { Estate } from "../lib/inventory/model.ts";
import type { FileTree } from "../lib/synth/tree.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";

let estate: Estate;
let tree: FileTree;
let objects: readonly HydratedObject[];
beforeAll(async () => {
  ({ estate, tree } = await renderFixtureEstate());
  objects = (await hydrate(REPO, tree, gpuNodesOf(estate.clusters))).objects;
});

describe("the mirror manifest synth writes per cluster", () => {
  it("lists every image the hydrated cluster runs, and nothing its ClusterPolicy leaves disabled", () => {
    const manifest = parse(tree.get("dist/mirror/rke2-core.yaml") ?? "");
    const listed = manifest.images.map((i: { image: string }) => i.image);
    const registry = "registry.waterschap.example";
    // the precompiled driver, tagged for the contract's kernel and OS; the validator's test pods' image
    expect(listed).toContain(`${registry}/nvcr.io/nvidia/driver:595-5.15.0-126-generic-ubuntu22.04`);
    expect(listed).toContain(`${registry}/nvcr.io/nvidia/gpu-operator:v26.7.0`);
    expect(
      listed.some((i: string) => i.includes("vgpu-manager") || i.includes("kubevirt-gpu-device-plugin")),
    ).toBe(false);
    // Flux's controllers (the Flux Operator's) are listed under bootstrap: they are mirrored first.
    const bootstrap = manifest.bootstrap.flux.map(
      (f: { image: string; digest: string }) => `${f.image}@${f.digest}`,
    );
    for (const o of objects.filter((x) => x.cluster === "rke2-core" && x.manifest.kind === "Deployment"))
      for (const c of (o.manifest.spec as any).template.spec.containers)
        expect(o.origin.startsWith("operator FluxInstance") ? bootstrap : listed).toContain(c.image);
    expect(
      objects.filter((o) => o.cluster === "rke2-core" && o.origin.startsWith("operator FluxInstance")).length,
    ).toBeGreaterThan(0);
    const ollama = manifest.images.find((i: { upstream: string }) =>
      i.upstream.startsWith("docker.io/ollama/ollama:"),
    );
    expect(ollama.image).toBe(`${registry}/${ollama.upstream}`);
  });

  it("names each chart's mirror, upstream and archive digest, each Git mirror's upstream, and Flux's bootstrap", () => {
    const manifest = parse(tree.get("dist/mirror/rke2-core.yaml") ?? "");
    expect(manifest.charts.find((c: { chart: string }) => c.chart === "gpu-operator")).toMatchObject({
      version: "v26.7.0",
      pulledFrom: "oci://registry.waterschap.example/charts/gpu-operator:v26.7.0",
      upstream: "https://github.com/NVIDIA/gpu-operator",
    });
    expect(
      manifest.charts.every((c: { archiveSha256: string }) => /^[0-9a-f]{64}$/.test(c.archiveSha256)),
    ).toBe(true);
    expect(manifest.git).toContainEqual({
      url: "https://gitea.waterschap.example/mirrors/keycloak-k8s-resources.git",
      ref: "26.0.0",
      upstream: "https://github.com/keycloak/keycloak-k8s-resources",
    });
    expect(manifest.bootstrap.fluxOperator.chart).toBe(
      "oci://registry.waterschap.example/charts/flux-operator",
    );
    expect(manifest.bootstrap.flux.map((f: { upstream: string }) => f.upstream)).toEqual(
      FLUX_IMAGES.map((f) => f.image),
    );
    expect(manifest.unlisted).toEqual([]);
  });
});

describe("Flux's own pods stay repairable under the signature policy", () => {
  const pod = (name: string, image: string): HydratedObject => ({
    cluster: "rke2-core",
    origin: "test",
    manifest: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "flux-system" },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "manager",
            image,
            resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "1Gi" } },
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"] },
              readOnlyRootFilesystem: true,
            },
          },
        ],
      },
    },
  });
  const judge = (...pods: HydratedObject[]) =>
    admissionReport([
      ...objects.filter((o) => o.cluster === "rke2-core" && o.manifest.kind !== "Pod"),
      ...pods,
    ]).denied.filter((f) => f.origin === "test");

  it("the pinned Flux controllers and operator are admitted without the signature check", () => {
    const registry = "registry.waterschap.example";
    const pinned = FLUX_IMAGES.map(({ image, digest }, i) =>
      pod(`controller-${i}`, i % 2 ? `${registry}/${image}@${digest}` : `${registry}/${image}`),
    );
    expect(judge(...pinned, pod("operator", `${registry}/${FLUX_OPERATOR.image}`))).toEqual([]);
    // Signatures are not judged offline: that the signature policy never selects flux-system is.
    for (const cluster of estate.clusters) {
      const policy = objects.find(
        (o) => o.cluster === cluster.name && o.manifest.kind === "ImageValidatingPolicy",
      )?.manifest as any;
      const labels = { "kubernetes.io/metadata.name": "flux-system" };
      expect(selectorMatches(policy.spec.matchConstraints.namespaceSelector, labels)).toBe(false);
      expect(
        selectorMatches(policy.spec.matchConstraints.namespaceSelector, {
          "kubernetes.io/metadata.name": "apps",
        }),
      ).toBe(true);
    }
  });

  it("anything else in flux-system is denied", () => {
    const denied = judge(pod("intruder", "registry.waterschap.example/apps/sample:1.0.0"));
    expect(denied.map((f) => f.rule)).toEqual(["ValidatingPolicy pin-flux-images"]);
  });
});

describe("Flux's chart sources trust the organisation's CA", () => {
  it("every OCIRepository verifies the mirror with a public bundle of the cluster's CA beside it", () => {
    const sources = objects.filter(
      (o) => o.manifest.kind === "OCIRepository" && o.origin.startsWith("dist/"),
    );
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources) {
      const ref = (source.manifest.spec as any).certSecretRef?.name;
      const where = `${source.cluster} ${source.manifest.metadata?.namespace}/${source.manifest.metadata?.name}`;
      expect(ref, where).toBe("org-ca-sources");
      const bundle = objects.find(
        (o) =>
          o.cluster === source.cluster &&
          o.manifest.kind === "Secret" &&
          o.manifest.metadata?.namespace === source.manifest.metadata?.namespace &&
          o.manifest.metadata?.name === ref,
      );
      const cluster = estate.clusters.find((c) => c.name === source.cluster);
      expect((bundle?.manifest as any)?.stringData?.["ca.crt"], where).toBe(cluster?.pki.caCertificatePem);
      // in the same Flux layer as the source, so it exists when the source does
      expect(bundle?.origin.split("/").slice(0, 4).join("/"), where).toBe(
        source.origin.split("/").slice(0, 4).join("/"),
      );
    }
  });
});
