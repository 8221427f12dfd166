import type { Cluster, Estate } from "../inventory/model.ts";
import { managementHome, RANCHER_AGENT, RANCHER_SERVER } from "../management/rancher.ts";
import { API_SERVER_PORT, type Connection, cidr, tcp } from "./model.ts";
import { KONG_GATEWAY } from "./platform-peers.ts";

/**
 * Rancher's connections (rancher/rancher v2.14.4). On the management home: the gateway to the server
 * (people and the agents), the server to its API server and to its peers (pkg/tunnelserver:
 * `wss://<pod>/v3/connect` on 443), and to Keycloak on the identity home for sign-in. On a managed
 * cluster: the agent to its API server and out to the server through the home's gateway; nothing
 * dials into a managed cluster.
 */
export function managementConnections(cluster: Cluster, estate: Estate): Connection[] {
  const home = managementHome(estate);
  if (!home) return [];
  const apiServer = (from: typeof RANCHER_SERVER, who: string): Connection => ({
    name: `${from === RANCHER_AGENT ? "cattle-cluster-agent" : "rancher"}-to-api-server`,
    from,
    to: cidr(cluster.network.controlPlane, "api-server"),
    ports: tcp(API_SERVER_PORT),
    why: `${who} works through the cluster's API (cluster-admin)`,
  });
  if (cluster !== home) {
    const endpoint = Object.entries(cluster.externalEndpoints).find(([, e]) => e.gatewayOf === home.name);
    return [
      apiServer(RANCHER_AGENT, "the Rancher agent"),
      ...(endpoint
        ? [
            {
              name: "cattle-cluster-agent-to-rancher",
              from: RANCHER_AGENT,
              to: cidr(endpoint[1].cidr, endpoint[0]),
              ports: tcp(endpoint[1].port),
              why: `the agent dials out to Rancher on ${home.name} and keeps its tunnel open (wss /v3/connect)`,
            },
          ]
        : []),
    ];
  }
  const identity = estate.clusters.find((c) => c.hosts.includes("identity"));
  const sso =
    identity && Object.entries(cluster.externalEndpoints).find(([, e]) => e.gatewayOf === identity.name);
  return [
    apiServer(RANCHER_SERVER, "Rancher"),
    {
      name: "gateway-to-rancher",
      from: KONG_GATEWAY,
      to: RANCHER_SERVER,
      ports: tcp(80),
      why: "platform engineers and the managed clusters' agents reach Rancher through the internal gateway (TLS ends there)",
    },
    {
      name: "rancher-to-rancher",
      from: RANCHER_SERVER,
      to: RANCHER_SERVER,
      ports: tcp(443),
      why: "Rancher's replicas connect to each other (peer tunnels)",
    },
    ...(sso
      ? [
          {
            name: "rancher-to-keycloak",
            from: RANCHER_SERVER,
            to: cidr(sso[1].cidr, sso[0]),
            ports: tcp(sso[1].port),
            why: `sign-in with Keycloak (OIDC) on ${identity?.name}, through its gateway`,
          },
        ]
      : []),
  ];
}
