import type { Cluster } from "../inventory/model.ts";
import { addressBounds, numberToIpv4 } from "./cidr.ts";

/**
 * The addresses a pod sees when the API server calls it (an admission webhook) through its Service,
 * as the cluster's CNI presents them. The API server runs on the server nodes' host network; kube-proxy
 * marks traffic to a ClusterIP from outside the pod CIDR for masquerade, so the call leaves with the
 * address of the interface towards the pod: the node's tunnel address (flannel.1 on Canal, the
 * IPIP/VXLAN tunnel on Calico) for a pod on another node, its bridge address for a pod on the same
 * node: the first two addresses of each node's share of the pod CIDR. On Cilium the API server is an
 * identity (kube-apiserver, remote-node) that NetworkPolicy ipBlocks never match.
 */
export type ApiServerSources =
  | { readonly presented: readonly string[]; readonly declared: readonly string[] }
  | { readonly cannotProve: string };

export function apiServerSources(cluster: Cluster): ApiServerSources {
  const { plugin, podCidr, nodeMask } = cluster.platform.cni;
  if (plugin === "cilium")
    return {
      cannotProve:
        "on Cilium the API server reaches pods as the kube-apiserver/remote-node identity, which NetworkPolicy ipBlocks never match (a CiliumNetworkPolicy with fromEntities is needed, and not modelled)",
    };
  return { presented: nodeTunnelPairs(podCidr, nodeMask), declared: [cluster.network.controlPlane, podCidr] };
}

/** The first two addresses (a /31) of every node subnet of the pod CIDR. */
function nodeTunnelPairs(podCidr: string, nodeMask: number): string[] {
  const [start] = addressBounds(podCidr);
  const subnets = 2 ** Math.max(0, nodeMask - Number(podCidr.split("/")[1] ?? 32));
  const size = 2 ** (32 - nodeMask);
  return Array.from({ length: subnets }, (_, i) => `${numberToIpv4(start + i * size)}/31`);
}
