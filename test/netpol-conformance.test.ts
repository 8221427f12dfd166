import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { ClusterPolicies, type PodNetwork, type PodView } from "../lib/reachability/policies.ts";
import { REPO } from "./helpers.ts";

/**
 * The Kubernetes e2e NetworkPolicy suite's truth tables (test/e2e/network/netpol), translated to data
 * in vendor/conformance/kubernetes-netpol-e2e/: every probe of every step, every ordered pair of the
 * test's pods (loopback ignored, as the suite does), judged by our engine as the suite expects.
 */
interface Peer {
  from: string;
  to: string;
  allowed: boolean;
}
interface Step {
  policies: { namespace: string; name: string; spec: Record<string, unknown> }[];
  namespaceLabels?: Record<string, Record<string, string>>;
  podLabels?: Record<string, Record<string, string>>;
  probes: { port: number; protocol: string; expect: Peer[] }[];
}
interface Case {
  name: string;
  pods: string[];
  ports?: number[];
  protocols?: string[];
  steps: Step[];
}
interface Suite {
  podCidr: string;
  addresses: Record<string, string>;
  cases: Case[];
}

const SUITE = parse(
  readFileSync(join(REPO, "vendor/conformance/kubernetes-netpol-e2e/truth-tables.yaml"), "utf8"),
) as Suite;

function podsOf(c: Case, step: Step): PodView[] {
  const ports = (c.ports ?? [80]).flatMap((port) =>
    (c.protocols ?? ["TCP"]).map((protocol) => ({
      name: `serve-${port}-${protocol.toLowerCase()}`,
      port,
      protocol,
    })),
  );
  return c.pods.map((id) => {
    const [namespace = "", name = ""] = id.split("/");
    return {
      namespace,
      name,
      labels: step.podLabels?.[id] ?? { pod: name },
      ports,
      address: SUITE.addresses[id],
    };
  });
}

function policiesOf(step: Step, network: PodNetwork): ClusterPolicies {
  const manifests: Manifest[] = step.policies.map((p) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: p.name, namespace: p.namespace },
    spec: p.spec,
  }));
  const policies = new ClusterPolicies(manifests, network);
  for (const ns of ["x", "y", "z"]) policies.addNamespace(ns, step.namespaceLabels?.[ns]);
  return policies;
}

const matches = (pattern: string, pod: PodView) => {
  if (pattern === "*") return true;
  const [namespace, name] = pattern.split("/");
  return pod.namespace === namespace && (name === "*" || pod.name === name);
};

/** Every (probe, pair) of the suite where our engine disagrees with the expected table. */
function disagreements(network: PodNetwork): { cells: number; wrong: string[]; unprovable: Set<string> } {
  let cells = 0;
  const wrong: string[] = [];
  const unprovable = new Set<string>();
  for (const c of SUITE.cases)
    for (const [s, step] of c.steps.entries()) {
      const pods = podsOf(c, step);
      const policies = policiesOf(step, network);
      for (const probe of step.probes)
        for (const src of pods)
          for (const dst of pods) {
            if (src === dst) continue;
            cells++;
            let expected = true;
            for (const e of probe.expect)
              if (matches(e.from, src) && matches(e.to, dst)) expected = e.allowed;
            const actual = policies.reachable(src, dst, probe.port, probe.protocol);
            if (actual !== expected)
              wrong.push(
                `${c.name} (step ${s + 1}, ${probe.port}/${probe.protocol}): ${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name} expected ${expected}`,
              );
          }
      for (const u of policies.unprovable) unprovable.add(`${c.name}: ${u}`);
    }
  return { cells, wrong, unprovable };
}

describe("NetworkPolicy engine against the Kubernetes e2e truth tables", () => {
  it("agrees with every cell on Canal and Calico, which match ipBlocks against pod addresses", () => {
    expect(SUITE.cases.length).toBe(48);
    for (const plugin of ["canal", "calico"]) {
      const { cells, wrong, unprovable } = disagreements({ plugin, podCidr: SUITE.podCidr });
      console.log(`NetworkPolicy e2e (${plugin}): ${cells - wrong.length}/${cells} cells agree`);
      expect(wrong).toEqual([]);
      expect([...unprovable]).toEqual([]);
      expect(cells).toBeGreaterThan(400);
    }
  });

  it("says 'cannot prove' for each ipBlock over pod addresses on a CNI whose matching is not modelled", () => {
    const { unprovable } = disagreements({ plugin: "cilium", podCidr: SUITE.podCidr });
    expect([...new Set([...unprovable].map((u) => u.split(":")[0]))]).toEqual([
      "should allow egress access to server in CIDR block",
      "should enforce except clause while egress access to server in CIDR block",
      "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed",
    ]);
  });
});

describe("ipBlocks and selectors on the estate's pods", () => {
  const network = { plugin: "canal", podCidr: "10.42.0.0/16" };
  const pod = (namespace: string, name: string): PodView => ({
    namespace,
    name,
    labels: { app: name },
    ports: [{ port: 8000, protocol: "TCP" }],
  });
  const gateway = (from: Record<string, unknown>[]): ClusterPolicies =>
    policiesOf(
      {
        policies: [
          {
            namespace: "x",
            name: "public",
            spec: { podSelector: {}, ingress: [{ from }], policyTypes: [Ingress] },
          },
        ],
        probes: [],
      },
      network,
    );
  const Ingress = "Ingress";

  it("an ipBlock over the pod network admits a pod without a known address, unless excepted", () => {
    const [client, server] = [pod("y", "client"), pod("x", "gateway")];
    expect(gateway([{ ipBlock: { cidr: "0.0.0.0/0" } }]).reachable(client, server, 8000, "TCP")).toBe(true);
    const excepted = gateway([{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.42.0.0/16"] } }]);
    expect(excepted.reachable(client, server, 8000, "TCP")).toBe(false);
    const partly = gateway([{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.42.0.0/17"] } }]);
    expect(partly.reachable(client, server, 8000, "TCP")).toBe(true);
  });

  it("selectors read a pod's own labels only", () => {
    const policies = gateway([
      { podSelector: { matchExpressions: [{ key: "toString", operator: "Exists" }] } },
    ]);
    expect(policies.reachable(pod("x", "client"), pod("x", "gateway"), 8000, "TCP")).toBe(false);
    const noConstructor = gateway([
      { podSelector: { matchExpressions: [{ key: "constructor", operator: "DoesNotExist" }] } },
    ]);
    expect(noConstructor.reachable(pod("x", "client"), pod("x", "gateway"), 8000, "TCP")).toBe(true);
  });
});
