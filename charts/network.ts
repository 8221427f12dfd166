import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IIoK8sApiNetworkingV1NetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import { type Connection, connectionsOf, managedNamespaces, type Peer } from "../lib/connections/index.ts";
import { EstateError } from "../lib/errors.ts";
import { Layer, namespaceLayers } from "../lib/flux/layers.ts";
import { NAMESPACE_NAME_LABEL } from "../lib/inventory/connection.ts";
import type { Cluster, Estate } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";

/**
 * Zero trust inside the cluster: every namespace that holds an end of a declared connection
 * (lib/connections/) denies all traffic, then each connection is allowed on both ends: an egress
 * rule at the caller's namespace and an ingress rule at the callee's. Nothing else, so OTAP
 * environments never meet. Each policy lives in the Flux layer that creates its namespace.
 */
export class NetworkChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "network", { disableResourceNameHashes: true });
    const connections = connectionsOf(cluster, estate);
    const layers = namespaceLayers(scope);
    const layerOf = (namespace: string, connection?: Connection): Construct => {
      const layer = layers.get(namespace);
      if (!layer)
        throw new EstateError([
          {
            file: cluster.source,
            cluster: cluster.name,
            rule: "connections",
            message: `${connection ? `connection "${connection.name}"` : "default deny"}: namespace "${namespace}" is not created by any chart`,
          },
        ]);
      return Layer.in(this, layer);
    };

    const managed = managedNamespaces(connections);
    for (const namespace of [...managed].sort()) {
      addModel(
        layerOf(namespace),
        new NetworkPolicy({
          metadata: { name: "default-deny", namespace },
          spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }),
      );
    }
    for (const connection of connections) {
      const ports = connection.ports.map((p) => ({ protocol: p.protocol, port: p.port }));
      const { from, to } = connection;
      if (from.kind === "pods" && managed.has(from.namespace) && layers.has(from.namespace)) {
        addModel(
          layerOf(from.namespace, connection),
          new NetworkPolicy({
            metadata: { name: `${connection.name}-egress`, namespace: from.namespace },
            spec: {
              podSelector: { matchLabels: { ...from.labels } },
              policyTypes: ["Egress"],
              egress: [{ to: [peerAsSeenFrom(to, from.namespace)], ports }],
            },
          }),
        );
      }
      if (to.kind === "pods" && managed.has(to.namespace) && layers.has(to.namespace)) {
        addModel(
          layerOf(to.namespace, connection),
          new NetworkPolicy({
            metadata: { name: `${connection.name}-ingress`, namespace: to.namespace },
            spec: {
              podSelector: { matchLabels: { ...to.labels } },
              policyTypes: ["Ingress"],
              ingress: [{ from: [peerAsSeenFrom(from, to.namespace)], ports }],
            },
          }),
        );
      }
    }
  }
}

/** A peer as a NetworkPolicy in `namespace` names it: pods by namespace and labels, or an IP block. */
function peerAsSeenFrom(peer: Peer, namespace: string): IIoK8sApiNetworkingV1NetworkPolicyPeer {
  if (peer.kind === "cidr") return { ipBlock: { cidr: peer.cidr } };
  const podSelector = { matchLabels: { ...peer.labels } };
  if (peer.namespace === namespace) return { podSelector };
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } }, podSelector };
}
