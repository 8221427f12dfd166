import { API_SERVER_PORT, type Connection, cidr, pods, tcp } from "../inventory/connection.ts";
import type { Cluster } from "../inventory/model.ts";
import { AUTOSCALER_NAMESPACE } from "../platform.ts";

/** The chart's pods (`<cloud provider>-cluster-autoscaler`). */
export const AUTOSCALER = pods(
  AUTOSCALER_NAMESPACE,
  { "app.kubernetes.io/name": "azure-cluster-autoscaler" },
  "cluster-autoscaler",
);
/** Azure's instance metadata service, where a VM's managed identity gets its tokens (link-local). */
export const AZURE_IMDS = "169.254.169.254/32";

/**
 * What the cluster-autoscaler opens, on a cluster that autoscales: the API server (it watches pods
 * and nodes and drains nodes), the metadata service (tokens of the managed identity) and Azure
 * Resource Manager's private endpoint (it reads and resizes the scale sets).
 */
export function autoscalerConnections(cluster: Cluster): Connection[] {
  if (!cluster.autoscaling) return [];
  const arm = Object.entries(cluster.externalEndpoints).find(([, e]) => e.kind === "cloud-api");
  return [
    {
      name: "cluster-autoscaler-to-api-server",
      from: AUTOSCALER,
      to: cidr(cluster.network.controlPlane, "api-server"),
      ports: tcp(API_SERVER_PORT),
      why: "the autoscaler watches unschedulable pods and nodes, and drains the nodes it removes",
    },
    {
      name: "cluster-autoscaler-to-metadata",
      from: AUTOSCALER,
      to: cidr(AZURE_IMDS, "azure-instance-metadata"),
      ports: tcp(80),
      why: "tokens of the scale sets' managed identity (no secret)",
    },
    ...(arm
      ? [
          {
            name: "cluster-autoscaler-to-resource-manager",
            from: AUTOSCALER,
            to: cidr(arm[1].cidr, arm[0]),
            ports: tcp(arm[1].port),
            why: "the autoscaler reads and resizes the scale sets (Azure Resource Manager, private endpoint)",
          },
        ]
      : []),
  ];
}
