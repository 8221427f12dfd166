import { gatewayOf } from "../gateways/topology.ts";
import { type Connection, cidr, type PodsPeer, pods, tcp } from "../inventory/connection.ts";
import type { Cluster, Estate, Placement } from "../inventory/model.ts";
import { selectorLabels } from "../k8s/labels.ts";
import { endpointsOn, OBJECT_STORE } from "../platform.ts";
import { KONG_GATEWAY, MINIO, OTEL_AGENT, OTLP_PORTS } from "./platform-peers.ts";

export function placementPeer(p: Placement): PodsPeer {
  return pods(p.namespace, selectorLabels(p), p.workload.name);
}

/**
 * The connections the catalogue declares for the workloads on a cluster: each `flows` entry (to a
 * workload of the same environment or a platform endpoint), each `egress` entry (an external
 * endpoint of the inventory), the gateway into each routed workload, traces to the node's
 * OpenTelemetry agent, and the model sync of workloads that serve models.
 */
export function workloadConnections(cluster: Cluster, estate: Estate): Connection[] {
  const placements = estate.placements.filter((p) => p.cluster === cluster);
  return placements.flatMap((from) => {
    // Non-prod clusters hold one placement per stage: the stage keeps the names apart.
    const prefix = cluster.production ? from.workload.name : `${from.stage}-${from.workload.name}`;
    return [
      ...flowConnections(cluster, placements, from, prefix),
      ...egressConnections(cluster, from, prefix),
      ...(from.workload.routes.length > 0
        ? [
            {
              name: `gateway-to-${prefix}`,
              from: KONG_GATEWAY,
              to: placementPeer(from),
              ports: tcp(from.workload.port),
              why: `route ${from.workload.routes.map((r) => r.host).join(", ")} on the ${gatewayOf(cluster).name} gateway`,
            },
          ]
        : []),
      {
        name: `${prefix}-to-otel-agent`,
        from: placementPeer(from),
        to: OTEL_AGENT,
        ports: tcp(...OTLP_PORTS),
        why: "traces (OTLP) to the node's OpenTelemetry agent",
      },
      ...(from.workload.models ? modelConnections(from, prefix) : []),
    ];
  });
}

/** Each `flows` entry: to a platform endpoint of the stage, or to a workload of the same environment. */
function flowConnections(
  cluster: Cluster,
  placements: readonly Placement[],
  from: Placement,
  prefix: string,
): Connection[] {
  const connections: Connection[] = [];
  for (const flow of from.workload.flows) {
    if (flow.stages && !flow.stages.includes(from.stage)) continue;
    const endpoint = endpointsOn(cluster, from.stage).find((e) => e.name === flow.to);
    const to = placements.find((p) => p.workload.name === flow.to && p.stage === from.stage);
    if (endpoint)
      connections.push({
        name: `${prefix}-to-${endpoint.name}`,
        from: placementPeer(from),
        to: pods(endpoint.namespace, { ...endpoint.podLabels }, endpoint.name),
        ports: tcp(flow.port ?? endpoint.port),
        why: `catalogue: ${from.workload.name} flows to ${endpoint.name}`,
      });
    else if (to)
      connections.push({
        name: `${prefix}-to-${to.workload.name}`,
        from: placementPeer(from),
        to: placementPeer(to),
        ports: tcp(flow.port ?? to.workload.port),
        why: `catalogue: ${from.workload.name} flows to ${to.workload.name}`,
      });
  }
  return connections;
}

/** Each `egress` entry: to the external endpoint's CIDR and port. */
function egressConnections(cluster: Cluster, from: Placement, prefix: string): Connection[] {
  return from.workload.egress.flatMap((name) => {
    const endpoint = cluster.externalEndpoints[name];
    if (!endpoint) return []; // rejected earlier by the external-egress rule
    return [
      {
        name: `${prefix}-to-${name}`,
        from: placementPeer(from),
        to: cidr(endpoint.cidr, name),
        ports: tcp(endpoint.port),
        why: endpoint.gatewayOf
          ? `catalogue: ${from.workload.name} calls ${endpoint.gatewayOf} through its gateway (tunnel)`
          : `catalogue: ${from.workload.name} calls ${endpoint.host}`,
      },
    ];
  });
}

/** A model server's sync job and init container read the models bucket. */
function modelConnections(from: Placement, prefix: string): Connection[] {
  return [
    {
      name: `${prefix}-model-sync-to-object-store`,
      from: pods(from.namespace, { "app.kubernetes.io/name": `${from.workload.name}-model-sync` }),
      to: MINIO,
      ports: tcp(OBJECT_STORE.port),
      why: "model files come from the datacenter's object store (bucket models)",
    },
    {
      name: `${prefix}-fill-models-from-object-store`,
      from: placementPeer(from),
      to: MINIO,
      ports: tcp(OBJECT_STORE.port),
      why: "its init container fills the model volume before the server starts",
    },
  ];
}
