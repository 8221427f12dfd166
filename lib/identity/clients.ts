import type { Cluster, Estate, Placement } from "../inventory/model.ts";
import { managementHome, rancherUrl } from "../management/rancher.ts";
import { homeOf, OBSERVABILITY_NAMESPACE, RANCHER_NAMESPACE, TELEMETRY_NAMESPACE } from "../platform.ts";

/**
 * Service-to-service identity. Whatever calls a JWT-protected service (a workload a route names as a
 * caller, or another cluster's telemetry agent shipping to Loki and Tempo) gets one confidential
 * Keycloak client (client credentials grant). The gateway in front of the service accepts a token
 * only when its `azp` (the client it was issued to) has a credential there and is in the service's
 * ACL group.
 */
export interface OidcCaller {
  readonly clientId: string;
  readonly cluster: Cluster;
  /** Where the caller runs: its client secret is a SOPS Secret there, named clientSecretName(). */
  readonly namespace: string;
  /** Set for other clusters' telemetry agents: the Loki tenant the gateway stamps on their requests. */
  readonly tenant?: string;
}

/** A service behind the gateway of `cluster` that only its callers may reach. */
export interface ProtectedService {
  readonly cluster: Cluster;
  readonly namespace: string;
  /** The ACL group its `acl` plugin allows, also the plugin's name. */
  readonly group: string;
  readonly callers: readonly OidcCaller[];
  /** Public clients (people and their tools) the service also accepts tokens of. */
  readonly publicClients: readonly string[];
}

export const TELEMETRY_CALLERS = "telemetry-callers";
/** The ACL group (and plugin) of a JWT route's workload: who may call it. */
export const callerGroupOf = (workload: string) => `${workload}-callers`;
export const clientSecretName = (clientId: string) => `oidc-client-${clientId}`;
export const CLIENT_SECRET_KEY = "client-secret";
export const jwtCredentialName = (clientId: string) => `jwt-${clientId}`;
export const aclCredentialName = (clientId: string, group: string) => `acl-${clientId}-${group}`;

/** The client id of a calling workload: its name in prod, `<stage>-<name>` elsewhere (one realm). */
export function clientIdOf(caller: Placement): string {
  return caller.stage === "prod" ? caller.workload.name : `${caller.stage}-${caller.workload.name}`;
}

const workloadCaller = (p: Placement): OidcCaller => ({
  clientId: clientIdOf(p),
  cluster: p.cluster,
  namespace: p.namespace,
});

/** Every JWT route's workload with the placements its route names as callers (same environment). */
function routeServices(estate: Pick<Estate, "placements">): ProtectedService[] {
  return estate.placements.flatMap((placement) => {
    const names = new Set(placement.workload.routes.flatMap((r) => r.jwt?.callers ?? []));
    const publicClients = [...new Set(placement.workload.routes.flatMap((r) => r.jwt?.publicClients ?? []))];
    if (names.size === 0 && publicClients.length === 0) return [];
    const callers = estate.placements
      .filter((p) => p.stage === placement.stage && names.has(p.workload.name))
      .map(workloadCaller);
    return [
      {
        cluster: placement.cluster,
        namespace: placement.namespace,
        group: callerGroupOf(placement.workload.name),
        callers,
        publicClients: publicClients.sort(),
      },
    ];
  });
}

/** Loki's and Tempo's push paths on the observability home, for the other clusters' agents. */
function telemetryService(estate: Pick<Estate, "clusters">): ProtectedService {
  const home = homeOf(estate, "observability");
  return {
    cluster: home,
    namespace: OBSERVABILITY_NAMESPACE,
    group: TELEMETRY_CALLERS,
    callers: estate.clusters
      .filter((c) => c !== home)
      .map((c) => ({
        clientId: `otel-agent-${c.name}`,
        cluster: c,
        namespace: TELEMETRY_NAMESPACE,
        tenant: c.name,
      })),
    publicClients: [],
  };
}

/** Every protected service of the estate, workload routes first. */
export function protectedServices(estate: Pick<Estate, "clusters" | "placements">): ProtectedService[] {
  return [...routeServices(estate), telemetryService(estate)];
}

/** The distinct callers of the estate, by client id (sorted). */
export function oidcClients(estate: Pick<Estate, "clusters" | "placements">): Map<string, OidcCaller> {
  const clients = new Map<string, OidcCaller>();
  for (const { callers } of protectedServices(estate)) for (const c of callers) clients.set(c.clientId, c);
  return new Map([...clients].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Web applications people sign in to with Keycloak (authorization code flow, confidential): their
 * client secret is a SOPS Secret on the identity home and in the application's namespace.
 */
export interface SignInClient {
  readonly clientId: string;
  readonly cluster: Cluster;
  readonly namespace: string;
  readonly redirectUris: readonly string[];
}

/**
 * Grafana on the observability home, and Rancher on the management home when the estate has one
 * (their Keycloak OIDC providers).
 */
export function signInClients(estate: Pick<Estate, "clusters">): SignInClient[] {
  const observability = homeOf(estate, "observability");
  const grafana: SignInClient = {
    clientId: "grafana",
    cluster: observability,
    namespace: OBSERVABILITY_NAMESPACE,
    // Grafana's generic OAuth returns to /login/generic_oauth.
    redirectUris: [`https://grafana.${observability.dns.domain}/login/generic_oauth`],
  };
  const home = managementHome(estate);
  if (!home) return [grafana];
  return [
    grafana,
    {
      clientId: "rancher",
      cluster: home,
      namespace: RANCHER_NAMESPACE,
      // Rancher's Keycloak (OIDC) provider returns to /verify-auth.
      redirectUris: [`${rancherUrl(home)}/verify-auth`],
    },
  ];
}

/** The public clients of the estate (people and their tools sign in with them), sorted. */
export function publicClients(estate: Pick<Estate, "clusters" | "placements">): string[] {
  return [...new Set(protectedServices(estate).flatMap((s) => s.publicClients))].sort();
}
