import { type Connection, pods, tcp, toGatewayOf } from "../inventory/connection.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { managementHome } from "../management/rancher.ts";
import { RANCHER_NAMESPACE } from "../platform.ts";
import { apiServerLinks } from "./platform.ts";
import { KONG_GATEWAY } from "./platform-peers.ts";

/**
 * Rancher's connections (rancher/rancher v2.14.4). On every cluster it manages: its webhook, which
 * the API server calls and which watches the API. On the management home: the gateway to the server
 * (people and the agents), the server to its API server and to its peers (pkg/tunnelserver:
 * `wss://<pod>/v3/connect` on 443), and to Keycloak on the identity home for sign-in. On a managed
 * cluster: the agent to its API server and out to the server through the home's gateway; nothing
 * dials into a managed cluster.
 */
export function managementConnections(cluster: Cluster, estate: Estate): Connection[] {
  const home = managementHome(estate);
  if (!home) return [];
  const api = apiServerLinks(cluster);
  const webhook = [
    ...api.webhook("rancher-webhook", RANCHER_WEBHOOK, 9443),
    api.to(
      "rancher-webhook",
      RANCHER_WEBHOOK,
      "the webhook elects a leader and registers its configurations",
    ),
  ];
  if (cluster !== home) return [...webhook, ...agentConnections(cluster, home)];
  return [
    ...webhook,
    api.to("rancher", RANCHER_SERVER, "Rancher manages its own cluster through the API (cluster-admin)"),
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
    ...signIn(cluster, estate),
  ];
}

/** The agent: its cluster's API (cluster-admin) and out to Rancher through the home's gateway. */
function agentConnections(cluster: Cluster, home: Cluster): Connection[] {
  return [
    apiServerLinks(cluster).to(
      "cattle-cluster-agent",
      RANCHER_AGENT,
      "Rancher manages the cluster through its agent (cluster-admin)",
    ),
    ...toGatewayOf(cluster, home, {
      name: "cattle-cluster-agent-to-rancher",
      from: RANCHER_AGENT,
      why: `the agent dials out to Rancher on ${home.name} and keeps its tunnel open (wss /v3/connect)`,
    }),
  ];
}

/** Rancher to Keycloak on the identity home, through that cluster's gateway (OIDC sign-in). */
function signIn(cluster: Cluster, estate: Estate): Connection[] {
  const identity = estate.clusters.find((c) => c.hosts.includes("identity"));
  return toGatewayOf(cluster, identity, {
    name: "rancher-to-keycloak",
    from: RANCHER_SERVER,
    why: `sign-in with Keycloak (OIDC) on ${identity?.name}, through its gateway`,
  });
}

/** The server's pods (chart label `app: rancher`). */
export const RANCHER_SERVER = pods(RANCHER_NAMESPACE, { app: "rancher" }, "rancher");

/** The webhook Rancher installs on every cluster it manages (rancher-webhook chart, `app: rancher-webhook`). */
export const RANCHER_WEBHOOK = pods(RANCHER_NAMESPACE, { app: "rancher-webhook" }, "rancher-webhook");

/** The agent's pods (pkg/systemtemplate label `app: cattle-cluster-agent`). */
export const RANCHER_AGENT = pods(RANCHER_NAMESPACE, { app: "cattle-cluster-agent" }, "cattle-cluster-agent");
