import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { PLATFORM_COMPONENTS } from "../charts/components/index.ts";
import { validateDist } from "../lib/validate/index.ts";
import { renderFixtureEstate, sandboxWithDist } from "./helpers.ts";

/**
 * The defects that kept the estate from coming up (issue 19), each reintroduced by hand into a copy of
 * the rendered estate: validate must name the cluster, the object and the reason for every one. One
 * validate run judges them all.
 */
let root: string;
let problems: string;
beforeAll(async () => {
  root = sandboxWithDist((await renderFixtureEstate()).tree);
  const edit = (path: string, change: (doc: Record<string, any>) => void) => {
    const file = join(root, path);
    const doc = parse(readFileSync(file, "utf8"));
    change(doc);
    writeFileSync(file, stringify(doc));
  };
  edit("dist/clusters/rke2-core/kustomization-keycloak-operator.yaml", (doc) => {
    delete doc.spec.dependsOn;
  });
  edit("dist/clusters/rke2-core/controllers/gpu-operator/helmrelease-gpu-operator.yaml", (doc) => {
    delete doc.spec.values.devicePlugin.resources;
    delete doc.spec.values.driver.usePrecompiled;
  });
  edit("dist/clusters/rke2-core/controllers/kong/helmrelease-kong.yaml", (doc) => {
    delete doc.spec.values.gateway.proxy.annotations;
  });
  edit("dist/clusters/rke2-core/apps/data/cluster-anonymised.yaml", (doc) => {
    doc.spec.managed.services.additional[0].serviceTemplate.metadata.annotations[
      "metallb.io/loadBalancerIPs"
    ] = "10.10.9.11";
  });
  edit("dist/clusters/rke2-core/apps/ai/persistentvolumeclaim-vllm-models.yaml", (doc) => {
    doc.spec.storageClassName = "fast-nvme";
  });
  edit("dist/clusters/rke2-core/apps/drone/persistentvolumeclaim-webodm-data.yaml", (doc) => {
    doc.spec.accessModes = ["ReadWriteOncePod"];
  });
  edit("dist/clusters/rke2-core/apps/observability/helmrelease-loki.yaml", (doc) => {
    doc.spec.values.global.dnsService = "kube-dns";
  });
  edit("dist/clusters/rke2-core/apps/ai/deployment-vllm.yaml", (doc) => {
    doc.spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    delete doc.spec.template.spec.initContainers;
  });
  edit("dist/clusters/rke2-core/apps/object-store/helmrelease-object-store.yaml", (doc) => {
    for (const user of doc.spec.values.users)
      if (user.accessKey === "models-reader") user.policy = "readonly";
  });
  edit("dist/clusters/rke2-core/apps/meetdata/deployment-meetdata-api.yaml", (doc) => {
    const container = doc.spec.template.spec.containers[0];
    container.env = container.env.filter((e: { name: string }) => e.name !== "PGPASSWORD");
  });
  edit("dist/clusters/rke2-core/apps/telemetry/helmrelease-otel-agent.yaml", (doc) => {
    doc.spec.values.podSecurityContext.supplementalGroups = [];
  });
  edit(
    "dist/clusters/rke2-core/controllers/kyverno/networkpolicy-api-server-via-node-tunnels-to-kyverno-ingress.yaml",
    (doc) => {
      doc.spec.ingress[0].from[0].ipBlock.cidr = "10.10.1.0/28";
    },
  );
  problems = (await validateDist(root, PLATFORM_COMPONENTS)).problems.join("\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("validate catches what would keep the estate from coming up", () => {
  it("an operator applied into a namespace that no earlier apply creates", () => {
    expect(problems).toContain(
      'dist/clusters/rke2-core: cluster "rke2-core": Kustomization flux-system/keycloak-operator applies 8 object(s) into namespace "identity" (ServiceAccount keycloak-operator',
    );
    expect(problems).toContain(
      "it is created by Kustomization flux-system/controllers, which is not applied before it",
    );
  });

  it("GPU operands the operator creates without resources, judged as the DaemonSets they are", () => {
    for (const daemonSet of ["nvidia-device-plugin-daemonset", "nvidia-device-plugin-mps-control-daemon"])
      expect(problems).toContain(
        `operator ClusterPolicy cluster-policy: cluster "rke2-core": gpu-operator/${daemonSet} (DaemonSet): ValidatingPolicy require-requests-limits: every container needs cpu and memory requests and limits`,
      );
    expect(problems).not.toContain("gpu-operator/nvidia-mig-manager (DaemonSet)");
  });

  it("a GPU driver that would be built from public package mirrors on an offline cluster", () => {
    expect(problems).toContain(
      'cluster "rke2-core": GPU driver: helm gpu-operator/gpu-operator: ClusterPolicy cluster-policy: driver.usePrecompiled must be true (contract: precompiled); as rendered the driver is built from the distribution\'s public package mirrors, which this cluster cannot reach',
    );
  });

  it("an address other clusters target that no LoadBalancer Service is pinned to, or one outside every pool", () => {
    expect(problems).toContain(
      'clusters/rke2-nonprod.ts: cluster "rke2-nonprod": externalEndpoints.core-gateway (10.10.0.10/32:443): targets 10.10.0.10 in rke2-core\'s address pools, but no LoadBalancer Service of rke2-core is pinned to it with port 443',
    );
    expect(problems).toContain(
      'operator Cluster data/anonymised: cluster "rke2-core": Service data/postgis-tunnel: asks for 10.10.9.11, which is in no address pool of the platform contract (metallb leaves it pending)',
    );
  });

  it("volume claims the contract's StorageClasses cannot serve", () => {
    expect(problems).toContain(
      'cluster "rke2-core": PersistentVolumeClaim ai/vllm-models: StorageClass "fast-nvme" is not in the platform contract (longhorn)',
    );
    expect(problems).toContain(
      'cluster "rke2-core": PersistentVolumeClaim drone/webodm-data: StorageClass "longhorn" (driver.longhorn.io) does not offer ReadWriteOncePod',
    );
  });

  it("a DNS name in rendered config that no Service of the estate or the contract answers", () => {
    expect(problems).toContain(
      'helm observability/loki: cluster "rke2-core": ConfigMap observability/loki-gateway: kube-dns.kube-system.svc.cluster.local names Service kube-system/kube-dns, which the hydrated estate does not have (the cluster DNS is kube-system/rke2-coredns-rke2-coredns, platform contract)',
    );
  });

  it("a GPU Deployment that surges, and a model server that starts before its volume is filled", () => {
    expect(problems).toContain(
      'dist/clusters/rke2-core/apps/ai/deployment-vllm.yaml: cluster "rke2-core": Deployment ai/vllm: holds 1 whole GPU(s) per pod but rolls with maxSurge 1: the new pod waits for GPUs the old one holds; use the Recreate strategy',
    );
    expect(problems).toContain(
      "Deployment ai/vllm: reads PersistentVolumeClaim vllm-models, which only CronJob vllm-model-sync fills: the first pod starts on an empty volume; fill it in an init container",
    );
  });

  it("a bucket consumer whose store policy does not let mc mirror, or lets it do more", () => {
    expect(problems).toContain(
      'helm object-store/object-store: cluster "rke2-core": object store: user "models-reader" (policy readonly): cannot do what it declares: s3:ListBucket on models (to mirror-from) denied',
    );
    expect(problems).toContain(
      'user "models-reader" (policy readonly): may do more than it declares: s3:GetObject on models; s3:GetBucketLocation on models/*; s3:GetObject on drone-jobs;',
    );
  });

  it("a database flow whose workload gets no credentials", () => {
    expect(problems).toContain(
      'cluster "rke2-core": database flow meetdata-api (prod) -> postgis in data: no credentials delivered: PGPASSWORD does not come from Secret meetdata/db-postgis (key password)',
    );
  });

  it("a node log reader that cannot read the log files the runtime writes", () => {
    expect(problems).toContain(
      'helm telemetry/otel-agent: cluster "rke2-core": DaemonSet telemetry/otel-agent-opentelemetry-collector-agent: container "opentelemetry-collector" reads /var/log/pods: as user 10001 with groups [10001] it cannot read files 0640 0:0 (platform contract)',
    );
  });

  it("an admission webhook the API server cannot reach as the CNI presents it", () => {
    expect(problems).toContain(
      'operator Kyverno admission controller: cluster "rke2-core": ValidatingWebhookConfiguration kyverno-resource-validating-webhook-cfg: the API server cannot reach webhook validate.kyverno.svc-fail: pod kyverno/kyverno-admission-controller does not admit 10.42.0.0/31 on port 9443',
    );
  });
});
