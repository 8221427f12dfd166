import { beforeAll, describe, expect, it } from "vitest";
import type { Estate } from "../lib/inventory/model.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { objectsOf, renderDefaultEstate, type TreeObject } from "./helpers.ts";
import { NetworkModel, type Pod } from "./netpol.ts";

let objects: TreeObject[];
let estate: Estate;
beforeAll(async () => {
  const rendered = await renderDefaultEstate();
  estate = rendered.estate;
  objects = objectsOf(rendered.tree);
});

const GATEWAY: Pod = {
  name: "kong-gateway",
  namespace: "kong",
  labels: { "app.kubernetes.io/name": "kong" },
};
const DNS: Pod = { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };

interface AppPod extends Pod {
  readonly stage: string;
  readonly port: number;
}

function clusterModel(manifests: Manifest[]): { model: NetworkModel; pods: AppPod[] } {
  const model = new NetworkModel(manifests);
  model.addNamespace("kong");
  model.addNamespace("kube-system");
  const pods = manifests
    .filter((m) => m.kind === "Deployment")
    .map((d) => {
      const template = (d.spec as any).template;
      const labels = template.metadata.labels as Record<string, string>;
      return {
        name: d.metadata?.name as string,
        namespace: d.metadata?.namespace as string,
        labels,
        stage: labels["waterschap.example/stage"] as string,
        port: template.spec.containers[0].ports[0].containerPort as number,
      };
    });
  return { model, pods };
}

const manifestsOf = (cluster: string) => objects.filter((o) => o.cluster === cluster).map((o) => o.manifest);
const id = (p: Pod) => `${p.namespace}/${p.name}`;

/** The isolation matrix every cluster must satisfy; returns the violations, so a test can expect some. */
function violations(manifests: Manifest[]): string[] {
  const { model, pods } = clusterModel(manifests);
  const out: string[] = [];
  // What the catalogue declares, not what was rendered: the rendering is what is under test.
  const flows = new Set(
    estate.placements.flatMap((p) =>
      p.workload.flows.map((f) => `${p.namespace}/${p.workload.name}->${f.to}`),
    ),
  );
  const exposedPods = new Set(
    estate.placements
      .filter((p) => p.workload.routes.length > 0)
      .map((p) => `${p.namespace}/${p.workload.name}`),
  );
  for (const src of pods) {
    if (!model.reachable(src, DNS, 53)) out.push(`${id(src)} cannot resolve DNS`);
    for (const dst of pods) {
      if (src === dst) continue;
      if (src.stage !== dst.stage) {
        // Both sides isolate on their own: neither may rely on the other's policy.
        if (model.egressAllows(src, dst, dst.port))
          out.push(`${id(src)} may send to ${id(dst)} (other stage)`);
        if (model.ingressAllows(dst, src, dst.port)) out.push(`${id(dst)} accepts ${id(src)} (other stage)`);
        continue;
      }
      const declared = flows.has(`${src.namespace}/${src.name}->${dst.name}`);
      if (model.reachable(src, dst, dst.port) !== declared) {
        out.push(`${id(src)} -> ${id(dst)} is ${declared ? "blocked but declared" : "open but undeclared"}`);
      }
    }
    const exposed = exposedPods.has(id(src));
    if (model.reachable(GATEWAY, src, src.port) !== exposed) {
      out.push(`gateway -> ${id(src)} is ${exposed ? "blocked but exposed" : "open but not exposed"}`);
    }
  }
  return out;
}

describe("reachability computed from the rendered NetworkPolicies", () => {
  it("rke2-nonprod: dev, test and acc cannot reach each other; declared flows and the gateway can", () => {
    const manifests = manifestsOf("rke2-nonprod");
    const { model, pods } = clusterModel(manifests);
    expect(new Set(pods.map((p) => p.stage))).toEqual(new Set(["dev", "test", "acc"]));
    expect(violations(manifests)).toEqual([]);

    const pod = (stage: string, name: string) =>
      pods.find((p) => p.stage === stage && p.name === name) as AppPod;
    // the declared flow is open, on its port only, in one direction only
    expect(model.reachable(pod("acc", "waterpeil-portal"), pod("acc", "portal-api"), 8080)).toBe(true);
    expect(model.reachable(pod("acc", "waterpeil-portal"), pod("acc", "portal-api"), 9999)).toBe(false);
    expect(model.reachable(pod("acc", "portal-api"), pod("acc", "waterpeil-portal"), 8080)).toBe(false);
    expect(model.reachable(pod("dev", "meetdata-ingest"), pod("dev", "meetdata-api"), 8080)).toBe(true);
    // the same flow never crosses environments
    expect(model.reachable(pod("dev", "meetdata-ingest"), pod("acc", "meetdata-api"), 8080)).toBe(false);
    expect(model.reachable(pod("dev", "waterpeil-portal"), pod("acc", "portal-api"), 8080)).toBe(false);
    // only the gateway enters, and only exposed workloads
    expect(model.reachable(GATEWAY, pod("test", "waterpeil-portal"), 8080)).toBe(true);
    expect(model.reachable(GATEWAY, pod("test", "portal-api"), 8080)).toBe(false);
  });

  it("every cluster satisfies the matrix", () => {
    for (const cluster of ["rke2-cloud", "rke2-core", "rke2-nonprod"])
      expect(violations(manifestsOf(cluster)), cluster).toEqual([]);
  });

  it("fails when a rule that isolates dev from acc is removed", () => {
    const manifests = manifestsOf("rke2-nonprod");
    const withoutAccDeny = manifests.filter(
      (m) =>
        !(
          m.kind === "NetworkPolicy" &&
          m.metadata?.name === "default-deny" &&
          m.metadata?.namespace === "acc-meetdata"
        ),
    );
    expect(withoutAccDeny.length).toBe(manifests.length - 1);
    const found = violations(withoutAccDeny);
    expect(found).toContain(
      "acc-meetdata/meetdata-ingest accepts dev-meetdata/meetdata-ingest (other stage)",
    );
    expect(found).toContain("gateway -> acc-meetdata/meetdata-ingest is open but not exposed");
  });
});
