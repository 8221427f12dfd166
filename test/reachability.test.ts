import { beforeAll, describe, expect, it } from "vitest";
import { connectionsOf } from "../lib/connections/index.ts";
import { gpuNodesOf } from "../lib/hydrate/gpu-operands.ts";
import { type HydratedObject, hydrate } from "../lib/hydrate/index.ts";
import type { Connection } from "../lib/inventory/connection.ts";
import type { Estate } from "../lib/inventory/model.ts";
import { UNMANAGED_NAMESPACES } from "../lib/namespaces/preexisting.ts";
import { proveReachability } from "../lib/reachability/index.ts";
import { peerMatches, podViews } from "../lib/reachability/pods.ts";
import { ClusterPolicies } from "../lib/reachability/policies.ts";
import { REPO, renderFixtureEstate } from "./helpers.ts";

let estate: Estate;
let objects: readonly HydratedObject[];
beforeAll(async () => {
  const rendered = await renderFixtureEstate();
  estate = rendered.estate;
  objects = (await hydrate(REPO, rendered.tree, gpuNodesOf(rendered.estate.clusters))).objects;
});

const clusterOf = (name: string) =>
  estate.clusters.find((c) => c.name === name) as Estate["clusters"][number];
const objectsOf = (cluster: string) => objects.filter((o) => o.cluster === cluster);
const prove = (
  cluster: string,
  objs: readonly HydratedObject[] = objectsOf(cluster),
  declared?: Connection[],
) =>
  proveReachability(
    cluster,
    clusterOf(cluster).platform.cni,
    objs,
    declared ?? connectionsOf(clusterOf(cluster), estate),
  );
const withoutPolicy = (cluster: string, name: string, namespace: string) => {
  const all = objectsOf(cluster);
  const kept = all.filter(
    (o) =>
      !(
        o.manifest.kind === "NetworkPolicy" &&
        o.manifest.metadata?.name === name &&
        o.manifest.metadata?.namespace === namespace
      ),
  );
  expect(kept.length).toBe(all.length - 1);
  return kept;
};
/** The cluster's hydrated objects plus extra NetworkPolicies, each given as [namespace, spec]. */
const withPolicies = (cluster: string, ...extra: [string, Record<string, unknown>][]): HydratedObject[] => [
  ...objectsOf(cluster),
  ...extra.map(([namespace, spec]) => ({
    cluster,
    origin: "test",
    manifest: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "extra", namespace },
      spec,
    },
  })),
];

describe("reachability of the hydrated estate, against the declared connections", () => {
  it("every cluster allows exactly what is declared, and every namespace with pods denies by default", () => {
    for (const cluster of ["rke2-cloud", "rke2-core", "rke2-nonprod"]) {
      const result = prove(cluster);
      expect(result.problems, cluster).toEqual([]);
      expect(result.flows.length, cluster).toBeGreaterThan(50);
    }
  });

  it("names the connection whose policy is removed", () => {
    const problems = prove(
      "rke2-core",
      withoutPolicy("rke2-core", "meetdata-api-to-postgis-ingress", "data"),
    ).problems;
    expect(problems).toEqual([
      "connection meetdata-api-to-postgis (catalogue: meetdata-api flows to postgis): blocked from meetdata/meetdata-api to data/postgis on 5432/TCP",
    ]);
  });

  it("names a platform connection whose egress side is removed", () => {
    const problems = prove(
      "rke2-core",
      withoutPolicy("rke2-core", "kyverno-to-api-server-egress", "kyverno"),
    ).problems;
    expect(problems).toContain(
      "connection kyverno-to-api-server (Kyverno controllers and hook jobs watch and write the API): blocked from kyverno/kyverno-admission-controller to 10.10.1.0/28 on 6443/TCP",
    );
  });

  it("refuses a policy that opens an undeclared path between pods", () => {
    const vllmIngress: [string, Record<string, unknown>] = [
      "ai",
      {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "vllm" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {},
                podSelector: { matchLabels: { "app.kubernetes.io/name": "meetdata-api" } },
              },
            ],
          },
        ],
      },
    ];
    const meetdataEgress: [string, Record<string, unknown>] = [
      "meetdata",
      {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "meetdata-api" } },
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ai" } } }] }],
      },
    ];
    expect(prove("rke2-core", withPolicies("rke2-core", vllmIngress, meetdataEgress)).problems).toEqual([
      "undeclared: meetdata/meetdata-api may reach ai/vllm on 8000/TCP",
    ]);
    // one side alone opens nothing: the other side still denies
    expect(prove("rke2-core", withPolicies("rke2-core", vllmIngress)).problems).toEqual([]);
  });

  it("sees a path opened by ipBlocks over the pod network, which Canal matches against pod addresses", () => {
    const objs = withPolicies(
      "rke2-core",
      [
        "ai",
        {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "vllm" } },
          policyTypes: ["Ingress"],
          ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.10.0.0/16"] } }] }],
        },
      ],
      [
        "meetdata",
        {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "meetdata-api" } },
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: "10.42.0.0/16" } }], ports: [{ port: 8000 }] }],
        },
      ],
    );
    expect(prove("rke2-core", objs).problems).toContain(
      "undeclared: meetdata/meetdata-api may reach ai/vllm on 8000/TCP",
    );
  });

  it("the agents reach Flux's controllers only through Flux's own allow-scraping policy", () => {
    const flux = objectsOf("rke2-core").filter((o) => o.origin.startsWith("operator FluxInstance"));
    expect(
      flux.filter((o) => o.manifest.kind === "Deployment").map((o) => o.manifest.metadata?.name),
    ).toEqual(["source-controller", "kustomize-controller", "helm-controller", "notification-controller"]);
    expect(prove("rke2-core").problems).toEqual([]);
    expect(
      prove("rke2-core", withoutPolicy("rke2-core", "allow-scraping", "flux-system")).problems,
    ).toContainEqual(expect.stringMatching(/otel-agent-scrapes-flux.*8080/));
  });

  it("CloudNativePG's initdb and join Jobs reach the API server and the primary, as their instance manager must", () => {
    const jobs = objectsOf("rke2-core").filter((o) => o.manifest.metadata?.labels?.["cnpg.io/jobRole"]);
    expect(jobs.map((o) => o.manifest.metadata?.name)).toEqual(
      expect.arrayContaining(["postgis-1-initdb", "postgis-2-join", "postgis-3-join"]),
    );
    expect(prove("rke2-core").problems).toEqual([]);
    // With the egress selecting the instances only, as it did, the Jobs would wait for ever.
    const instancesOnly = (policy: string) =>
      objectsOf("rke2-core").map((o) =>
        o.manifest.kind === "NetworkPolicy" && o.manifest.metadata?.name === policy
          ? {
              ...o,
              manifest: {
                ...o.manifest,
                spec: {
                  ...(o.manifest.spec as object),
                  podSelector: {
                    matchLabels: { "cnpg.io/cluster": "postgis", "cnpg.io/podRole": "instance" },
                  },
                },
              },
            }
          : o,
      );
    expect(prove("rke2-core", instancesOnly("postgis-to-api-server-egress")).problems).toContainEqual(
      expect.stringMatching(
        /^connection postgis-to-api-server .*blocked from data\/postgis to .* on 6443\/TCP/,
      ),
    );
    expect(prove("rke2-core", instancesOnly("postgis-replication-egress")).problems).toContainEqual(
      expect.stringMatching(
        /^connection postgis-replication .*blocked from data\/postgis to data\/postgis on 5432\/TCP/,
      ),
    );
  });

  it("cannot prove ipBlocks over the pod network on a CNI whose matching is not modelled", () => {
    const problems = proveReachability(
      "rke2-core",
      { plugin: "cilium", podCidr: "10.42.0.0/16" },
      objectsOf("rke2-core"),
      connectionsOf(clusterOf("rke2-core"), estate),
    ).problems;
    expect(
      problems.filter((p) => p.startsWith("cannot prove: ipBlock 10.42.0.0/16 covers pod addresses")),
    ).toHaveLength(1);
  });

  it("refuses a policy that opens an undeclared address range", () => {
    const objs = withPolicies("rke2-core", [
      "legacy",
      {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }],
      },
    ]);
    expect(prove("rke2-core", objs).problems).toEqual([
      "undeclared: legacy/legacy-connectors may reach 0.0.0.0/0 on 443/TCP (NetworkPolicy extra)",
    ]);
  });

  it("finds a namespace with pods and no default deny", () => {
    const problems = prove(
      "rke2-nonprod",
      withoutPolicy("rke2-nonprod", "default-deny", "acc-meetdata"),
    ).problems;
    expect(problems).toContain("namespace acc-meetdata has pods but no default-deny NetworkPolicy");
    // with the deny gone, anything whose egress is open (the cluster DNS here) reaches the pods
    expect(problems).toContain(
      "undeclared: kube-system/kube-dns may reach acc-meetdata/meetdata-ingest on 9090/TCP",
    );
  });

  it("asking only the pods a destination's ingress rules can admit finds exactly what asking every pair finds", () => {
    // The oracle: every source, every destination, every port either listens on or is declared into.
    const everyPair = (cluster: string, objs: readonly HydratedObject[]) => {
      const declared = connectionsOf(clusterOf(cluster), estate);
      const policies = new ClusterPolicies(
        objs.map((o) => o.manifest),
        clusterOf(cluster).platform.cni,
      );
      const pods = podViews(objs);
      const found: string[] = [];
      for (const src of pods)
        for (const dst of pods) {
          // Between two namespaces the estate does not police (the cluster's own, Flux's), nothing is declared.
          if (UNMANAGED_NAMESPACES.includes(src.namespace) && UNMANAGED_NAMESPACES.includes(dst.namespace))
            continue;
          const into = declared.filter((c) => peerMatches(c.to, dst));
          const ports = [...dst.ports, ...into.flatMap((c) => c.ports)];
          for (const { port, protocol } of ports) {
            // a declared range over the pod network names the pods whose address may lie in it
            const names = (c: Connection) =>
              peerMatches(c.from, src) ||
              (c.from.kind === "cidr" && policies.addressMayBeIn(c.from.cidr, src));
            const isDeclared = into.some(
              (c) => names(c) && c.ports.some((p) => p.port === port && p.protocol === protocol),
            );
            if (policies.reachable(src, dst, port, protocol) && !isDeclared)
              found.push(
                `undeclared: ${src.namespace}/${src.name} may reach ${dst.namespace}/${dst.name} on ${port}/${protocol}`,
              );
          }
        }
      return [...new Set(found)].sort();
    };
    const undeclaredPairs = (cluster: string, objs: readonly HydratedObject[]) =>
      prove(cluster, objs)
        .problems.filter((p) => /^undeclared: \S+ may reach [^ ]+ on \d+\/\w+$/.test(p))
        .sort();
    const openIngress: [string, Record<string, unknown>] = [
      "ai",
      { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] },
    ];
    const byNamespaceLabel: [string, Record<string, unknown>] = [
      "data",
      {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [
                    { key: "kubernetes.io/metadata.name", operator: "In", values: ["meetdata", "legacy"] },
                  ],
                },
              },
            ],
          },
        ],
        egress: [{ to: [{ namespaceSelector: {} }] }],
      },
    ];
    const openEgress = (namespace: string): [string, Record<string, unknown>] => [
      namespace,
      { podSelector: {}, policyTypes: ["Egress"], egress: [{}] },
    ];
    const cases: [string, readonly HydratedObject[]][] = [
      ["rke2-core", objectsOf("rke2-core")],
      ["rke2-core", withPolicies("rke2-core", openIngress, openEgress("legacy"))],
      ["rke2-core", withPolicies("rke2-core", byNamespaceLabel, openEgress("meetdata"))],
      ["rke2-nonprod", withoutPolicy("rke2-nonprod", "default-deny", "acc-meetdata")],
    ];
    const counts = cases.map(([cluster, objs]) => {
      const expected = everyPair(cluster, objs);
      expect(undeclaredPairs(cluster, objs), cluster).toEqual(expected);
      return expected.length;
    });
    // The cases do open undeclared paths (the unchanged estate none): the comparison is not vacuous.
    expect(counts[0]).toBe(0);
    expect(
      counts.slice(1).every((n) => n > 0),
      JSON.stringify(counts),
    ).toBe(true);
  });

  it("finds a declaration whose pods do not exist", () => {
    const declared = [
      ...connectionsOf(clusterOf("rke2-core"), estate),
      {
        name: "ghost",
        from: {
          kind: "pods",
          namespace: "ai",
          labels: { "app.kubernetes.io/name": "ghost" },
          label: "ai/ghost",
        },
        to: { kind: "cidr", cidr: "10.0.0.0/8", label: "x" },
        ports: [{ port: 1, protocol: "TCP" }],
        why: "test",
      } as Connection,
    ];
    expect(prove("rke2-core", objectsOf("rke2-core"), declared).problems).toEqual([
      'connection ghost: no pod matches its from end ai/ghost {"app.kubernetes.io/name":"ghost"}',
    ]);
  });

  it("OTAP stages never meet on the non-prod cluster, in either direction", () => {
    const objs = objectsOf("rke2-nonprod");
    const policies = new ClusterPolicies(
      objs.map((o) => o.manifest),
      clusterOf("rke2-nonprod").platform.cni,
    );
    const pods = podViews(objs);
    const pod = (namespace: string, name: string) => {
      const found = pods.find((p) => p.namespace === namespace && p.name === name);
      if (!found) throw new Error(`no pod ${namespace}/${name}`);
      return found;
    };
    expect(
      policies.reachable(pod("acc-portal", "waterpeil-portal"), pod("acc-portal", "portal-api"), 8080, "TCP"),
    ).toBe(true);
    expect(
      policies.reachable(pod("acc-portal", "portal-api"), pod("acc-portal", "waterpeil-portal"), 8080, "TCP"),
    ).toBe(false);
    expect(
      policies.reachable(pod("dev-portal", "waterpeil-portal"), pod("acc-portal", "portal-api"), 8080, "TCP"),
    ).toBe(false);
    expect(
      policies.allows(
        pod("dev-portal", "waterpeil-portal"),
        "Egress",
        { pod: pod("acc-portal", "portal-api") },
        8080,
        "TCP",
      ),
    ).toBe(false);
    expect(
      policies.allows(
        pod("acc-portal", "portal-api"),
        "Ingress",
        { pod: pod("dev-portal", "waterpeil-portal") },
        8080,
        "TCP",
      ),
    ).toBe(false);
    // Each environment has its own databases: reachable from its own applications only.
    const api = (stage: string) => pod(`${stage}-meetdata`, "meetdata-api");
    expect(policies.reachable(api("dev"), pod("dev-data", "postgis"), 5432, "TCP")).toBe(true);
    expect(policies.reachable(api("dev"), pod("test-data", "postgis"), 5432, "TCP")).toBe(false);
    expect(policies.reachable(api("acc"), pod("dev-data", "postgis"), 5432, "TCP")).toBe(false);
  });
});
