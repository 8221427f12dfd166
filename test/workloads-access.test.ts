import { Chart } from "cdk8s";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCluster } from "../charts/index.ts";
import { Layer } from "../lib/flux/layers.ts";
import { DEVELOPER_ROLE } from "../lib/identity/developer-role.ts";
import type { Estate } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { synthesize } from "../lib/synth/pipeline.ts";
import { find, objectsOf, renderFixtureEstate, specOf, type TreeObject } from "./helpers.ts";

let estate: Estate;
let objects: TreeObject[];
beforeAll(async () => {
  const rendered = await renderFixtureEstate();
  estate = rendered.estate;
  objects = objectsOf(rendered.tree);
});

const ofKind = (kind: string, cluster?: string) =>
  objects.filter((o) => o.manifest.kind === kind && (!cluster || o.cluster === cluster));

describe("workloads", () => {
  it("each placement is a Deployment with its own ServiceAccount, an explicit selector and a Service", () => {
    for (const p of estate.placements) {
      const [deployment] = find(objects, p.cluster.name, "Deployment", p.workload.name, p.namespace);
      const spec = deployment?.manifest.spec as any;
      expect(spec.selector).toEqual({ matchLabels: { "app.kubernetes.io/name": p.workload.name } });
      expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
      expect(spec.template.metadata.labels["data-level"]).toBe(p.workload.dataLevel);
      expect(spec.template.spec.serviceAccountName).toBe(p.workload.name);
      expect(spec.template.spec.containers[0].image).toBe(p.imageRef);
      const sa = find(objects, p.cluster.name, "ServiceAccount", p.workload.name, p.namespace);
      expect(sa).toHaveLength(1);
      const [service] = find(objects, p.cluster.name, "Service", p.workload.name, p.namespace);
      expect(specOf(service).selector).toEqual(spec.selector.matchLabels);
    }
  });

  it("run restricted: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp", () => {
    for (const deployment of ofKind("Deployment")) {
      for (const c of (deployment.manifest.spec as any).template.spec.containers) {
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(c.resources.requests && c.resources.limits).toBeTruthy();
      }
    }
  });

  it("namespaces enforce Pod Security restricted; only the GPU operator and the log agent (privileged) and Ollama (baseline) need less", () => {
    const levels = ofKind("Namespace").map((n) => [
      n.manifest.metadata?.name,
      n.manifest.metadata?.labels?.["pod-security.kubernetes.io/enforce"],
    ]);
    const exceptions: Record<string, string> = {
      "gpu-operator": "privileged",
      telemetry: "privileged",
      ollama: "baseline",
    };
    for (const [name, level] of levels) expect(level, name).toBe(exceptions[name as string] ?? "restricted");
  });

  it("a workload that calls an org-certified service through the tunnel trusts the org CA", () => {
    const [agents] = find(objects, "rke2-cloud", "Deployment", "cloud-agents", "agents");
    const pod = specOf(agents).template.spec;
    expect(pod.volumes).toContainEqual({ name: "org-ca", secret: { secretName: "org-ca" } });
    expect(pod.containers[0].volumeMounts).toContainEqual({
      name: "org-ca",
      mountPath: "/etc/org-ca",
      readOnly: true,
    });
    expect(pod.containers[0].env).toContainEqual({ name: "ORG_CA_FILE", value: "/etc/org-ca/ca.crt" });
    const [bundle] = find(objects, "rke2-cloud", "Secret", "org-ca", "agents");
    expect((bundle as any).manifest.stringData["ca.crt"]).toContain("BEGIN CERTIFICATE");
    // one that calls nothing of the organisation's gets nothing
    const [portal] = find(objects, "rke2-cloud", "Deployment", "waterpeil-portal", "portal");
    expect(JSON.stringify(specOf(portal).template.spec)).not.toContain("ORG_CA_FILE");
  });

  it("every container of every workload, init containers too, states its requests and limits", () => {
    for (const p of estate.placements) {
      const [d] = find(objects, p.cluster.name, "Deployment", p.workload.name, p.namespace);
      const pod = specOf(d).template.spec;
      for (const c of [...(pod.initContainers ?? []), ...pod.containers])
        for (const kind of ["requests", "limits"])
          for (const resource of ["cpu", "memory"])
            expect(
              c.resources?.[kind]?.[resource],
              `${p.workload.name}/${c.name} ${kind}.${resource}`,
            ).toMatch(/^[0-9]/);
    }
  });

  it("high-data workloads on-prem are pinned to on-prem nodes", () => {
    const high = estate.placements.filter((p) => p.workload.dataLevel === "high");
    expect(high.length).toBeGreaterThan(0);
    for (const p of high) {
      const [d] = find(objects, p.cluster.name, "Deployment", p.workload.name, p.namespace);
      const terms =
        specOf(d).template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
          .nodeSelectorTerms;
      expect(terms[0].matchExpressions[0]).toEqual({
        key: "topology.waterschap.example/location",
        operator: "In",
        values: ["on-prem"],
      });
    }
  });
});

describe("human access", () => {
  it("non-prod: developer groups from Keycloak get the developer role in dev and view in test and acc", () => {
    const bindings = ofKind("RoleBinding", "rke2-nonprod");
    const namespaces = ofKind("Namespace", "rke2-nonprod").filter(
      (n) => n.manifest.metadata?.labels?.["waterschap.example/stage"],
    );
    expect(bindings).toHaveLength(namespaces.length);
    for (const b of bindings) {
      const stage = String(b.manifest.metadata?.namespace).split("-")[0];
      expect((b.manifest as any).roleRef).toEqual({
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: stage === "dev" ? DEVELOPER_ROLE : "view",
      });
      expect((b.manifest as any).subjects).toEqual([
        { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "oidc:developers" },
      ]);
    }
  });

  it("prod: no human bindings at all", () => {
    for (const cluster of estate.clusters.filter((c) => c.production)) {
      const human = [
        ...ofKind("RoleBinding", cluster.name),
        ...ofKind("ClusterRoleBinding", cluster.name),
      ].filter((b) =>
        ((b.manifest as any).subjects ?? []).some((s: any) => s.kind === "User" || s.kind === "Group"),
      );
      expect(human, cluster.name).toEqual([]);
    }
  });
});

describe("secrets and pruning", () => {
  it("every layer decrypts SOPS with the cluster's age key", () => {
    for (const cluster of estate.clusters) {
      for (const layer of ["controllers", "configs", "apps"]) {
        const [ks] = find(objects, cluster.name, "Kustomization", layer);
        expect(specOf(ks).decryption).toEqual({
          provider: "sops",
          secretRef: { name: "sops-age" },
        });
      }
    }
  });

  it("namespaces carry prune: disabled", () => {
    for (const ns of ofKind("Namespace")) {
      expect(ns.manifest.metadata?.annotations?.["kustomize.toolkit.fluxcd.io/prune"], ns.path).toBe(
        "disabled",
      );
    }
  });

  it("stateful objects get prune: disabled whatever their author wrote", async () => {
    const { estate: estateOnDisk, root } = await renderFixtureEstate();
    const tree = await synthesize(estateOnDisk, root, (app, cluster, e) => {
      buildCluster(app, cluster, e);
      const chart = new Chart(app, "careless", { disableResourceNameHashes: true });
      addModel(
        Layer.in(chart, "apps"),
        new PersistentVolumeClaim({
          metadata: {
            name: "data",
            namespace: "portal",
            annotations: { "kustomize.toolkit.fluxcd.io/prune": "enabled" },
          },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        }),
      );
    });
    const pvc = objectsOf(tree).find((o) => o.manifest.kind === "PersistentVolumeClaim");
    expect(pvc?.manifest.metadata?.annotations?.["kustomize.toolkit.fluxcd.io/prune"]).toBe("disabled");
  });
});
