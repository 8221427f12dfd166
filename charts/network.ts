import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Layer } from "../lib/flux/layers.ts";
import type { Cluster, Estate, Placement } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { endpointsOn, KONG_NAMESPACE, type PlatformEndpoint } from "../lib/platform.ts";
import { selectorLabels } from "../lib/workloads/labels.ts";
import { namespacesOf, placementsOn } from "./workloads.ts";

const NAMESPACE_NAME = "kubernetes.io/metadata.name";

const peer = (p: Placement) => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: p.namespace } },
  podSelector: { matchLabels: selectorLabels(p) },
});

/**
 * Zero trust inside the cluster: every namespace with workloads denies all traffic, then allows DNS,
 * each declared flow (an egress rule at the caller and the matching ingress rule at the callee) and
 * the gateway into workloads that are exposed. Nothing else, so OTAP environments never meet.
 */
export class NetworkChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "network", { disableResourceNameHashes: true });
    const layer = Layer.in(this, "apps");
    const placements = placementsOn(cluster, estate);

    const isolatedComponents = endpointsOn(cluster)
      .filter((e) => e.isolated)
      .map((e) => e.namespace);
    for (const namespace of [...namespacesOf(placements).keys(), ...isolatedComponents]) {
      addModel(
        layer,
        new NetworkPolicy({
          metadata: { name: "default-deny", namespace },
          spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }),
      );
      addModel(
        layer,
        new NetworkPolicy({
          metadata: { name: "allow-dns", namespace },
          spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
              {
                to: [
                  {
                    namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: "kube-system" } },
                    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                  },
                ],
                ports: [
                  { protocol: "UDP", port: 53 },
                  { protocol: "TCP", port: 53 },
                ],
              },
            ],
          },
        }),
      );
    }

    for (const from of placements) {
      for (const flow of from.workload.flows) {
        const endpoint = endpointsOn(cluster).find((e) => e.name === flow.to);
        if (endpoint) {
          flowToEndpoint(layer, from, endpoint, flow.port ?? endpoint.port);
          continue;
        }
        const to = placements.find((p) => p.workload.name === flow.to && p.stage === from.stage);
        if (!to) continue; // rejected earlier by the otap-isolation rule
        const ports = [{ protocol: "TCP" as const, port: flow.port ?? to.workload.port }];
        addModel(
          layer,
          new NetworkPolicy({
            metadata: { name: `${from.workload.name}-to-${to.workload.name}`, namespace: from.namespace },
            spec: {
              podSelector: { matchLabels: selectorLabels(from) },
              policyTypes: ["Egress"],
              egress: [{ to: [peer(to)], ports }],
            },
          }),
        );
        addModel(
          layer,
          new NetworkPolicy({
            metadata: { name: `${to.workload.name}-from-${from.workload.name}`, namespace: to.namespace },
            spec: {
              podSelector: { matchLabels: selectorLabels(to) },
              policyTypes: ["Ingress"],
              ingress: [{ from: [peer(from)], ports }],
            },
          }),
        );
      }
      for (const name of from.workload.egress) {
        const endpoint = cluster.externalEndpoints[name];
        if (!endpoint) continue; // rejected earlier by the external-endpoint rule
        addModel(
          layer,
          new NetworkPolicy({
            metadata: { name: `${from.workload.name}-to-${name}`, namespace: from.namespace },
            spec: {
              podSelector: { matchLabels: selectorLabels(from) },
              policyTypes: ["Egress"],
              egress: [
                {
                  to: [{ ipBlock: { cidr: endpoint.cidr } }],
                  ports: [{ protocol: "TCP", port: endpoint.port }],
                },
              ],
            },
          }),
        );
      }
      if (from.workload.routes.length > 0) {
        addModel(
          layer,
          new NetworkPolicy({
            metadata: { name: `${from.workload.name}-from-gateway`, namespace: from.namespace },
            spec: {
              podSelector: { matchLabels: selectorLabels(from) },
              policyTypes: ["Ingress"],
              ingress: [
                {
                  from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: KONG_NAMESPACE } } }],
                  ports: [{ protocol: "TCP", port: from.workload.port }],
                },
              ],
            },
          }),
        );
      }
    }
  }
}

/** A flow to a platform component: egress at the caller, and ingress at the component if it is isolated. */
function flowToEndpoint(scope: Construct, from: Placement, endpoint: PlatformEndpoint, port: number): void {
  const ports = [{ protocol: "TCP" as const, port }];
  const target = {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: endpoint.namespace } },
    podSelector: { matchLabels: { ...endpoint.podLabels } },
  };
  addModel(
    scope,
    new NetworkPolicy({
      metadata: { name: `${from.workload.name}-to-${endpoint.name}`, namespace: from.namespace },
      spec: {
        podSelector: { matchLabels: selectorLabels(from) },
        policyTypes: ["Egress"],
        egress: [{ to: [target], ports }],
      },
    }),
  );
  if (!endpoint.isolated) return;
  addModel(
    scope,
    new NetworkPolicy({
      metadata: {
        name: `${endpoint.name}-from-${from.namespace}-${from.workload.name}`,
        namespace: endpoint.namespace,
      },
      spec: {
        podSelector: { matchLabels: { ...endpoint.podLabels } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [peer(from)], ports }],
      },
    }),
  );
}
