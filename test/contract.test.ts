import { describe, expect, it } from "vitest";
import { distributionProblems } from "../lib/contract/distribution.ts";
import { dnsNameProblems } from "../lib/contract/dns-names.ts";
import { gpuDriverProblems } from "../lib/contract/gpu-driver.ts";
import { loadBalancerProblems } from "../lib/contract/load-balancers.ts";
import { logReaderProblems } from "../lib/contract/node-logs.ts";
import { storageProblems } from "../lib/contract/storage.ts";
import { webhookIngressProblems } from "../lib/contract/webhook-ingress.ts";
import type { HydratedObject } from "../lib/hydrate/index.ts";
import type { PlatformContract } from "../lib/inventory/contract-schema.ts";
import type { Cluster } from "../lib/inventory/model.ts";
import { apiServerSources } from "../lib/network/api-server-sources.ts";

/** Fixture clusters: only the fields the contract checks read. */
const platform = (lb: PlatformContract["loadBalancer"]): PlatformContract => ({
  distribution: { name: "rke2", version: "v1.35.0+rke2r1" },
  cni: { plugin: "canal", podCidr: "10.42.0.0/16", serviceCidr: "10.43.0.0/16", nodeMask: 24 },
  clusterDns: { namespace: "kube-system", service: "rke2-coredns-rke2-coredns", domain: "cluster.local" },
  loadBalancer: lb,
  nodeLogs: { path: "/var/log/pods", owner: 0, group: 0, mode: "0640" },
  storageClasses: [
    { name: "fast", provisioner: "example.com/fast", accessModes: ["ReadWriteOnce"], default: true },
    { name: "shared", provisioner: "example.com/shared", accessModes: ["ReadWriteOnce", "ReadWriteMany"] },
  ],
});
const cluster = (name: string, extra: Partial<Cluster>): Cluster =>
  ({ name, source: `clusters/${name}.ts`, externalEndpoints: {}, ...extra }) as Cluster;
const home = cluster("home", {
  platform: platform({
    implementation: "metallb",
    pools: [{ name: "vips", addresses: ["10.0.0.10-10.0.0.19", "10.0.1.0/30"] }],
  }),
});
const visitor = cluster("visitor", {
  platform: platform({ implementation: "azure", pools: [] }),
  externalEndpoints: {
    db: { host: "db.home.example", cidr: "10.0.0.11/32", port: 5432, kind: "database", maxDataLevel: "high" },
    gw: {
      host: "gw.home.example",
      cidr: "10.0.1.1/32",
      port: 443,
      gatewayOf: "home",
      kind: "gateway",
      maxDataLevel: "high",
    },
    wide: { host: "x.home.example", cidr: "10.0.0.0/24", port: 443, kind: "gateway", maxDataLevel: "high" },
  },
});
const service = (name: string, address: string | undefined, ports: number[]): HydratedObject => ({
  cluster: "home",
  origin: "test",
  manifest: {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name,
      namespace: "ns",
      ...(address ? { annotations: { "metallb.io/loadBalancerIPs": address } } : {}),
    },
    spec: { type: "LoadBalancer", ports: ports.map((port) => ({ port })) },
  },
});
const check = (...services: HydratedObject[]) =>
  loadBalancerProblems([home, visitor], new Map([["home", services]]));

describe("load balancers against the platform contract", () => {
  it("accepts pinned addresses inside pools (ranges and CIDRs) that serve the targeted ports", () => {
    const problems = check(
      service("db", "10.0.0.11", [5432]),
      service("gw", "10.0.1.1", [80, 443]),
      service("any", undefined, [80]),
    );
    expect(problems).toEqual([
      'clusters/visitor.ts: cluster "visitor": externalEndpoints.wide (10.0.0.0/24:443): cannot prove which Service of home serves it: name one address (/32)',
    ]);
  });

  it("names the endpoint no Service serves, the wrong port, an address outside the pools and one asked twice", () => {
    const problems = check(
      service("db", "10.0.0.11", [5433]),
      service("a", "10.0.2.1", [80]),
      service("b", "10.0.2.1", [80]),
    );
    expect(problems).toContain(
      'clusters/visitor.ts: cluster "visitor": externalEndpoints.db (10.0.0.11/32:5432): targets 10.0.0.11 in home\'s address pools, but no LoadBalancer Service of home is pinned to it with port 5432 (Service ns/db has other ports)',
    );
    expect(problems).toContain(
      'clusters/visitor.ts: cluster "visitor": externalEndpoints.gw (10.0.1.1/32:443): targets 10.0.1.1 in home\'s address pools, but no LoadBalancer Service of home is pinned to it with port 443',
    );
    expect(problems).toContain(
      'test: cluster "home": Service ns/a: asks for 10.0.2.1, which is in no address pool of the platform contract (metallb leaves it pending)',
    );
    expect(problems).toContain(
      'test: cluster "home": Service ns/b: asks for 10.0.2.1, which Service ns/a asks for too',
    );
  });
});

describe("volume claims against the contract's StorageClasses", () => {
  const claim = (spec: Record<string, unknown>): HydratedObject => ({
    cluster: "home",
    origin: "test",
    manifest: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "ns" },
      spec,
    },
  });
  it("takes the default class for a claim that names none, and checks access modes", () => {
    expect(
      storageProblems(home, [
        claim({ accessModes: ["ReadWriteOnce"] }),
        claim({ storageClassName: null, accessModes: ["ReadWriteOnce"] }),
      ]),
    ).toEqual([]);
    expect(storageProblems(home, [claim({ accessModes: ["ReadWriteMany"] })])).toEqual([
      'test: cluster "home": PersistentVolumeClaim ns/data: StorageClass "fast" (example.com/fast) does not offer ReadWriteMany',
    ]);
    expect(
      storageProblems(home, [claim({ storageClassName: "shared", accessModes: ["ReadWriteMany"] })]),
    ).toEqual([]);
  });

  it("refuses an unknown class, a pre-provisioned volume, and a claim with no default to fall back on", () => {
    const noDefault = cluster("bare", {
      platform: {
        ...home.platform,
        storageClasses: [{ name: "x", provisioner: "p", accessModes: ["ReadWriteOnce"] }],
      },
    });
    expect(
      storageProblems(home, [claim({ storageClassName: "nvme", accessModes: ["ReadWriteOnce"] })])[0],
    ).toContain('StorageClass "nvme" is not in the platform contract (fast, shared)');
    expect(
      storageProblems(home, [claim({ storageClassName: "", accessModes: ["ReadWriteOnce"] })])[0],
    ).toContain("cannot prove");
    expect(storageProblems(noDefault, [claim({ accessModes: ["ReadWriteOnce"] })])[0]).toContain(
      "names no StorageClass and the platform contract has no default one",
    );
  });
});

describe("cluster DNS names in rendered configuration", () => {
  const object = (kind: string, name: string, body: Record<string, unknown>): HydratedObject => ({
    cluster: "home",
    origin: "test",
    manifest: { apiVersion: "v1", kind, metadata: { name, namespace: "ns" }, ...body },
  });
  const objects = [
    object("Service", "api", { spec: {} }),
    object("ConfigMap", "ok", {
      data: {
        a: "http://api.ns.svc:8080/x api.ns.svc.cluster.local. rke2-coredns-rke2-coredns.kube-system.svc.cluster.local",
        b: "pod-0.api.ns.svc.cluster.local kubernetes.default.svc api.ns.svc.tls-secret",
      },
    }),
  ];
  it("accepts names of hydrated Services, the contract's DNS Service and the API server", () => {
    expect(dnsNameProblems(home, objects)).toEqual([]);
  });

  it("names a missing Service, the wrong cluster domain, and leaves Secrets, CRDs and HelmRelease values alone", () => {
    const problems = dnsNameProblems(home, [
      ...objects,
      object("ConfigMap", "bad", {
        data: { resolver: "resolver kube-dns.kube-system.svc.cluster.local valid=10s" },
      }),
      object("Deployment", "app", {
        spec: {
          template: {
            spec: {
              containers: [{ args: ["--db=db.data.svc.corp.example:5432", "--api=api.ns.svc.corp.example"] }],
            },
          },
        },
      }),
      object("Secret", "s", { stringData: { x: "gone.ns.svc" } }),
      object("HelmRelease", "h", { spec: { values: { x: "gone.ns.svc" } } }),
    ]);
    expect(problems).toEqual([
      'test: cluster "home": ConfigMap ns/bad: kube-dns.kube-system.svc.cluster.local names Service kube-system/kube-dns, which the hydrated estate does not have (the cluster DNS is kube-system/rke2-coredns-rke2-coredns, platform contract)',
      'test: cluster "home": Deployment ns/app: db.data.svc.corp.example is under "corp.example", but the cluster domain is "cluster.local" (platform contract)',
      'test: cluster "home": Deployment ns/app: api.ns.svc.corp.example is under "corp.example", but the cluster domain is "cluster.local" (platform contract)',
    ]);
  });
});

describe("node log readers against the contract's log files", () => {
  const reader = (
    pod: Record<string, unknown>,
    container: Record<string, unknown> = {},
    path = "/var/log/pods",
  ) => ({
    cluster: "home",
    origin: "test",
    manifest: {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "ns" },
      spec: {
        template: {
          spec: {
            securityContext: pod,
            volumes: [
              { name: "logs", hostPath: { path } },
              { name: "root", hostPath: { path: "/" } },
            ],
            containers: [
              {
                name: "agent",
                image: "x",
                volumeMounts: [{ name: "logs", mountPath: "/logs" }],
                ...container,
              },
            ],
          },
        },
      },
    },
  });
  it("accepts the owner, a group that may read, a read capability, and privileged containers", () => {
    expect(logReaderProblems(home, [reader({ runAsUser: 0 })])).toEqual([]);
    expect(logReaderProblems(home, [reader({ runAsUser: 10001, supplementalGroups: [0] })])).toEqual([]);
    expect(
      logReaderProblems(home, [
        reader({ runAsUser: 10001 }, { securityContext: { capabilities: { add: ["DAC_READ_SEARCH"] } } }),
      ]),
    ).toEqual([]);
    expect(logReaderProblems(home, [reader({}, { securityContext: { privileged: true } })])).toEqual([]);
  });

  it("refuses a reader that cannot read, and one whose user only the image knows", () => {
    expect(
      logReaderProblems(home, [reader({ runAsUser: 10001, runAsGroup: 10001 }, {}, "/var/log")]),
    ).toEqual([
      'test: cluster "home": DaemonSet ns/agent: container "agent" reads /var/log/pods: as user 10001 with groups [10001] it cannot read files 0640 0:0 (platform contract)',
    ]);
    expect(logReaderProblems(home, [reader({})])[0]).toContain(
      "cannot prove it can: the pod spec names no runAsUser",
    );
  });
});

describe("admission webhooks as the API server reaches them through the CNI", () => {
  const withNetwork = (plugin: "canal" | "cilium") =>
    ({
      ...home,
      network: { controlPlane: "10.0.9.0/28" },
      platform: { ...home.platform, cni: { ...home.platform.cni, plugin } },
    }) as Cluster;
  const o = (manifest: Record<string, unknown>): HydratedObject => ({
    cluster: "home",
    origin: "test",
    manifest: manifest as any,
  });
  const objects = (admitted: string) => [
    o({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: { name: "hooks" },
      webhooks: [
        { name: "check.example", clientConfig: { service: { namespace: "ns", name: "hook", port: 443 } } },
      ],
    }),
    o({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "hook", namespace: "ns" },
      spec: { selector: { app: "hook" }, ports: [{ port: 443, targetPort: "https" }] },
    }),
    o({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "hook", namespace: "ns", labels: { app: "hook" } },
      spec: { containers: [{ name: "c", image: "x", ports: [{ name: "https", containerPort: 9443 }] }] },
    }),
    o({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "in", namespace: "ns" },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ ipBlock: { cidr: admitted } }], ports: [{ port: 9443 }] }],
      },
    }),
  ];

  it("on Canal the calls arrive from each node's first two pod-network addresses", () => {
    const sources = apiServerSources(withNetwork("canal"));
    expect("presented" in sources && sources.presented.length).toBe(256);
    expect("presented" in sources && sources.presented.slice(0, 2)).toEqual(["10.42.0.0/31", "10.42.1.0/31"]);
    expect(webhookIngressProblems(withNetwork("canal"), objects("10.42.0.0/16"))).toEqual([]);
    expect(webhookIngressProblems(withNetwork("canal"), objects("10.0.9.0/28"))).toEqual([
      'test: cluster "home": ValidatingWebhookConfiguration hooks: the API server cannot reach webhook check.example: pod ns/hook does not admit 10.42.0.0/31 on port 9443 (on canal the call arrives from the node\'s tunnel or bridge address in 10.42.0.0/16)',
    ]);
  });

  it("on Cilium no ipBlock names the API server: cannot prove", () => {
    expect(webhookIngressProblems(withNetwork("cilium"), objects("10.42.0.0/16"))[0]).toContain(
      "ValidatingWebhookConfiguration hooks: cannot prove the API server reaches it: on Cilium",
    );
  });
});

describe("the distribution the charts are rendered for", () => {
  it("accepts the Kubernetes version helm renders for, and cannot prove another", () => {
    const at = (version: string) =>
      ({ ...home, platform: { ...home.platform, distribution: { name: "rke2", version } } }) as Cluster;
    expect(distributionProblems(at("v1.35.0+rke2r1"))).toEqual([]);
    expect(distributionProblems(at("v1.34.2+rke2r1"))[0]).toContain(
      "runs Kubernetes 1.34.2, but the charts are rendered for 1.35.0 (lib/helm/render.ts): cannot prove its chart renders",
    );
  });
});

describe("the GPU driver mode of the contract, on the operator's ClusterPolicy", () => {
  const gpuCluster = (nodeOs: string) =>
    cluster("gpu", {
      location: "on-prem",
      platform: {
        ...platform({ implementation: "metallb", pools: [] }),
        gpu: { driver: "precompiled", nodeOs },
      },
    });
  const policy = (driver: Record<string, unknown>): HydratedObject[] => [
    {
      cluster: "gpu",
      origin: "helm gpu-operator/gpu-operator",
      manifest: {
        apiVersion: "nvidia.com/v1",
        kind: "ClusterPolicy",
        metadata: { name: "cp" },
        spec: { driver },
      },
    },
  ];
  const at = "helm gpu-operator/gpu-operator: ClusterPolicy cp:";

  it("precompiled: a driver branch as version, on ubuntu22.04 nodes only", () => {
    expect(
      gpuDriverProblems(gpuCluster("ubuntu22.04"), policy({ usePrecompiled: true, version: "595" })),
    ).toEqual([]);
    expect(
      gpuDriverProblems(gpuCluster("ubuntu24.04"), policy({ usePrecompiled: true, version: "595.58.03" })),
    ).toEqual([
      `${at} driver.version "595.58.03" must be a driver branch (such as 595): precompiled images are tagged <branch>-<kernel>-<os>`,
      `${at} precompiled drivers exist only for ubuntu22.04 nodes; the contract says ubuntu24.04`,
    ]);
  });
});
