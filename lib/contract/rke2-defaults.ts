/**
 * What an RKE2 server provides when its config.yaml leaves the setting alone (docs.rke2.io, server
 * configuration): the canal CNI, cluster-cidr 10.42.0.0/16, service-cidr 10.43.0.0/16, and the
 * bundled rke2-coredns chart's Service; the kubelet writes pod logs under /var/log/pods. A cluster
 * that changes one of them spreads this and overrides the field, so its platform contract stays data.
 */
export function rke2Defaults(version: string) {
  return {
    distribution: { name: "rke2", version },
    cni: { plugin: "canal", podCidr: "10.42.0.0/16", serviceCidr: "10.43.0.0/16" },
    clusterDns: { namespace: "kube-system", service: "rke2-coredns-rke2-coredns", domain: "cluster.local" },
    nodeLogs: { path: "/var/log/pods", owner: 0, group: 0, mode: "0640" },
  } as const;
}
