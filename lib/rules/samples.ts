import { FLUX_IMAGES } from "../flux/constants.ts";
import { mirror } from "../images.ts";
import type { Cluster } from "../inventory/model.ts";
import { DATA_LEVEL_LABEL } from "../k8s/labels.ts";
import { FLUX_NAMESPACE } from "../platform.ts";
import { onPremAffinity } from "./geo-fencing.ts";
import { FLUX_OWNER_LABEL } from "./network-isolation.ts";
import { POD_SECURITY_ENFORCE, POD_SECURITY_ENFORCE_VERSION } from "./pod-security.ts";

/** A resource a policy must admit (`pass`) or reject (`fail`); shipped as a Kyverno CLI test case. */
export interface PolicySample {
  readonly expect: "pass" | "fail" | "skip";
  /** Mutating policies: the resource as the policy must leave it. */
  readonly patched?: Record<string, unknown>;
  /** Generating policies: a resource the policy must create. */
  readonly generated?: Record<string, unknown>;
  readonly resource: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; [k: string]: unknown };
    [k: string]: unknown;
  };
}

const resources = { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } };

function pod(
  name: string,
  image: string,
  options: { labels?: Record<string, string>; resources?: unknown; namespace?: string } = {},
) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: options.namespace ?? "samples",
      labels: { "app.kubernetes.io/name": name, ...options.labels },
    },
    spec: { containers: [{ name: "app", image, resources: options.resources ?? resources }] },
  };
}

/**
 * Passing and failing resources per policy, by policy name. The same samples feed the CEL tests in
 * test/ and the `kyverno test` suites rendered into dist/policy-tests/.
 */
export function policySamples(cluster: Cluster): Record<string, PolicySample[]> {
  return { ...podPolicySamples(cluster), ...namespacePolicySamples() };
}

/** Samples of the policies that judge pods: data level, registry, tags, resources, signatures, Flux. */
function podPolicySamples(cluster: Cluster): Record<string, PolicySample[]> {
  const ok = `${cluster.images.registry}/apps/sample:1.2.3`;
  return {
    "geo-fence-high-data": [
      { expect: "pass", resource: pod("low-data", ok, { labels: { [DATA_LEVEL_LABEL]: "low" } }) },
      { expect: "fail", resource: pod("high-data", ok, { labels: { [DATA_LEVEL_LABEL]: "high" } }) },
    ],
    "restrict-image-registry": [
      { expect: "pass", resource: pod("own-registry", ok) },
      { expect: "fail", resource: pod("docker-hub", "docker.io/library/nginx:1.27.3") },
    ],
    "disallow-latest-tag": [
      { expect: "pass", resource: pod("pinned-tag", ok) },
      {
        expect: "pass",
        resource: pod("pinned-digest", `${cluster.images.registry}/apps/sample@sha256:${"a".repeat(64)}`),
      },
      { expect: "fail", resource: pod("latest-tag", `${cluster.images.registry}/apps/sample:latest`) },
      { expect: "fail", resource: pod("no-tag", `${cluster.images.registry}/apps/sample`) },
    ],
    "require-requests-limits": [
      { expect: "pass", resource: pod("with-limits", ok) },
      { expect: "fail", resource: pod("no-limits", ok, { resources: { requests: resources.requests } }) },
    ],
    // Needs the registry: run inside the datacenter network, where the signatures can be fetched.
    "verify-image-signatures": [
      {
        expect: "pass",
        resource: pod("signed-release", `${cluster.images.registry}/apps/waterpeil-portal:2.4.1`),
      },
      { expect: "fail", resource: pod("unsigned", `${cluster.images.registry}/sandbox/unsigned:0.0.1`) },
    ],
    "pin-flux-images": [
      {
        expect: "pass",
        resource: pod("source-controller", mirror(cluster, FLUX_IMAGES[0].image), {
          namespace: FLUX_NAMESPACE,
        }),
      },
      { expect: "fail", resource: pod("intruder", ok, { namespace: FLUX_NAMESPACE }) },
      { expect: "skip", resource: pod("elsewhere", ok) },
    ],
    "geo-fence-high-data-on-prem-nodes": [
      {
        expect: "pass",
        resource: pod("high-data", ok, { labels: { [DATA_LEVEL_LABEL]: "high" } }),
        patched: (() => {
          const p = pod("high-data", ok, { labels: { [DATA_LEVEL_LABEL]: "high" } });
          return { ...p, spec: { ...p.spec, affinity: onPremAffinity() } };
        })(),
      },
      { expect: "skip", resource: pod("low-data", ok, { labels: { [DATA_LEVEL_LABEL]: "low" } }) },
    ],
  };
}

/** Samples of the policies that judge Namespaces: default deny for hand-made ones, a Pod Security level. */
function namespacePolicySamples(): Record<string, PolicySample[]> {
  return {
    "default-deny-unmanaged-namespaces": [
      {
        expect: "pass",
        resource: { apiVersion: "v1", kind: "Namespace", metadata: { name: "made-by-hand" } },
        generated: {
          apiVersion: "networking.k8s.io/v1",
          kind: "NetworkPolicy",
          metadata: { name: "default-deny", namespace: "made-by-hand" },
          spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
      },
      {
        expect: "skip",
        resource: {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: { name: "from-git", labels: { [FLUX_OWNER_LABEL]: "apps" } },
        },
      },
    ],
    "require-pod-security-level": [
      {
        expect: "pass",
        resource: {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: { name: "labelled", labels: { [POD_SECURITY_ENFORCE]: "restricted" } },
        },
      },
      { expect: "fail", resource: { apiVersion: "v1", kind: "Namespace", metadata: { name: "unlabelled" } } },
    ],
    "default-pod-security-level": [
      {
        expect: "pass",
        resource: { apiVersion: "v1", kind: "Namespace", metadata: { name: "made-by-rancher" } },
        patched: {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: {
            name: "made-by-rancher",
            labels: { [POD_SECURITY_ENFORCE]: "restricted", [POD_SECURITY_ENFORCE_VERSION]: "latest" },
          },
        },
      },
      {
        expect: "skip",
        resource: {
          apiVersion: "v1",
          kind: "Namespace",
          metadata: { name: "baseline-on-purpose", labels: { [POD_SECURITY_ENFORCE]: "baseline" } },
        },
      },
    ],
  };
}
