import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
} from "../imports/gateway-api-gateway-gateway.networking.k8s.io.ts";
import { GatewayClass } from "../imports/gateway-api-gatewayclass-gateway.networking.k8s.io.ts";
import {
  HttpRoute,
  HttpRouteSpecRulesMatchesPathType,
} from "../imports/gateway-api-httproute-gateway.networking.k8s.io.ts";
import { KongClusterPlugin } from "../imports/kong-clusterplugin-configuration.konghq.com.ts";
import { KongPlugin } from "../imports/kong-plugin-configuration.konghq.com.ts";
import { OTLP_HTTP_PORT } from "../lib/connections/platform-peers.ts";
import { Layer } from "../lib/flux/layers.ts";
import { JWT_PLUGIN, jwtConsumers, KONG_CLASS } from "../lib/gateways/consumers.ts";
import { gatewayAddress, gatewayOf, gatewayReplicas, routeHost } from "../lib/gateways/topology.ts";
import {
  routeServesTunnel,
  TUNNEL_DENY_PLUGIN,
  tunnelDenyPlugin,
  tunnelSources,
} from "../lib/gateways/tunnel.ts";
import { callerGroupOf } from "../lib/identity/clients.ts";
import type { Cluster, Estate, Placement, Route } from "../lib/inventory/model.ts";
import { addModel } from "../lib/k8s/model-object.ts";
import { podSecurityOf } from "../lib/namespaces/registry.ts";
import { FORWARDS_NAMESPACE, TELEMETRY_NAMESPACE } from "../lib/platform.ts";
import { placementsOn } from "./workloads.ts";

/** The Kong plugins a route carries, by name (KongPlugins in the route's namespace). */
export const RATE_LIMIT_PLUGIN = "rate-limit-public";
export { JWT_PLUGIN } from "../lib/gateways/consumers.ts";

/** The OpenTelemetry agent's node-local Service (the collector chart's name for release `otel-agent`). */
const OTEL_AGENT_SERVICE = `http://otel-agent-opentelemetry-collector.${TELEMETRY_NAMESPACE}.svc.cluster.local:${OTLP_HTTP_PORT}`;
/** Requests one citizen (client IP) may make on the public gateway, across all its replicas. */
export const PUBLIC_RATE_LIMIT = { minute: 300, hour: 6000 } as const;
/** The gateway's certificate: issued by cert-manager on internal gateways, from a public CA on public ones. */
export const GATEWAY_TLS_SECRET = "gateway-tls";

/**
 * Kong through the Gateway API: the GatewayClass and this cluster's Gateway (configs layer), global
 * correlation-id and prometheus plugins, and one HTTPRoute per workload route (apps layer) with rate
 * limiting on the public gateway and Keycloak JWT validation where the route asks for it. A cloud
 * cluster also forwards routes that on-prem workloads publish through it, over the tunnel.
 */
export class GatewaysChart extends Chart {
  constructor(scope: Construct, cluster: Cluster, estate: Estate) {
    super(scope, "gateways", { disableResourceNameHashes: true });
    const configs = Layer.in(this, "configs");
    const apps = Layer.in(this, "apps");
    const gateway = gatewayOf(cluster);
    gatewayAndClass(configs, cluster, gateway);
    globalPlugins(configs, cluster, gateway);
    const plugins = new RoutePlugins(cluster, estate, gateway);
    workloadRoutes(apps, cluster, estate, gateway, plugins);
    forwardedRoutes(apps, cluster, estate, gateway, plugins);
    plugins.render(apps);
    jwtConsumers(apps, cluster, estate);
  }
}

type GatewayRef = ReturnType<typeof gatewayOf>;

/** The GatewayClass and this cluster's Gateway (configs layer). */
function gatewayAndClass(configs: Construct, cluster: Cluster, gateway: GatewayRef): void {
  new GatewayClass(configs, "gatewayclass", {
    // kong/ingress deploys the gateway itself: the class is unmanaged by KIC.
    metadata: { name: "kong", annotations: { "konghq.com/gatewayclass-unmanaged": "true" } },
    spec: { controllerName: "konghq.com/kic-gateway-controller" },
  });
  new Gateway(configs, "gateway", {
    metadata: { name: gateway.name, namespace: gateway.namespace },
    spec: {
      gatewayClassName: "kong",
      listeners: [
        {
          name: "https",
          protocol: "HTTPS",
          port: 443,
          hostname: `*.${cluster.dns.domain}`,
          // Internal gateways: issued from the organisation's CA (charts/pki.ts). Public: out of band.
          tls: {
            mode: GatewaySpecListenersTlsMode.TERMINATE,
            certificateRefs: [{ kind: "Secret", name: GATEWAY_TLS_SECRET }],
          },
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } },
        },
      ],
    },
  });
}

/** Global plugins on every gateway: correlation ids, W3C traces to the node's agent, metrics. */
function globalPlugins(configs: Construct, cluster: Cluster, gateway: GatewayRef): void {
  new KongClusterPlugin(configs, "correlation-id", {
    metadata: {
      name: "correlation-id",
      labels: { global: "true" },
      annotations: KONG_CLASS,
    },
    plugin: "correlation-id",
    config: { header_name: "X-Correlation-ID", generator: "uuid#counter", echo_downstream: true },
  });
  // Every request starts (or continues) a W3C trace here, so a citizen's request can be followed
  // to the database: spans go to the agent on the gateway's own node (its Service is node-local).
  new KongClusterPlugin(configs, "opentelemetry", {
    metadata: { name: "opentelemetry", labels: { global: "true" }, annotations: KONG_CLASS },
    plugin: "opentelemetry",
    config: {
      traces_endpoint: `${OTEL_AGENT_SERVICE}/v1/traces`,
      resource_attributes: { "service.name": `kong-${gateway.name}`, "k8s.cluster.name": cluster.name },
      propagation: { default_format: "w3c" },
    },
  });
  new KongClusterPlugin(configs, "prometheus", {
    metadata: {
      name: "prometheus",
      labels: { global: "true" },
      annotations: KONG_CLASS,
    },
    plugin: "prometheus",
    config: {
      status_code_metrics: true,
      latency_metrics: true,
      bandwidth_metrics: true,
      upstream_health_metrics: true,
    },
  });
}

/**
 * Which plugins each route carries (rate limiting on a public gateway, JWT and ACL where the route
 * names callers, tunnel-deny on an internal route the tunnel may not use), and per namespace the
 * plugins those names refer to.
 */
class RoutePlugins {
  private readonly needed = new Map<string, Set<string>>();
  private readonly tunnel: string[];

  constructor(
    private readonly cluster: Cluster,
    private readonly estate: Estate,
    private readonly gateway: GatewayRef,
  ) {
    this.tunnel = gateway.public ? [] : tunnelSources(cluster, estate.clusters);
  }

  /** The plugins of one route in `namespace`; a forwarded route (no placement) is guarded on-prem. */
  for(namespace: string, route: Route, placement?: Placement): string[] {
    // A forwarded JWT route is enforced by the gateway in front of the workload, not on the way.
    const plugins = [
      ...(this.gateway.public ? [RATE_LIMIT_PLUGIN] : []),
      ...(route.jwt && placement ? [JWT_PLUGIN, callerGroupOf(placement.workload.name)] : []),
      ...(this.tunnel.length && placement && !routeServesTunnel(placement, route, this.estate)
        ? [TUNNEL_DENY_PLUGIN]
        : []),
    ];
    for (const plugin of plugins)
      this.needed.set(namespace, (this.needed.get(namespace) ?? new Set()).add(plugin));
    return plugins;
  }

  /** The tunnel-deny and rate-limit plugins each namespace's routes refer to. */
  render(apps: Construct): void {
    const { cluster, tunnel } = this;
    for (const [namespace, plugins] of this.needed) {
      if (plugins.has(TUNNEL_DENY_PLUGIN)) tunnelDenyPlugin(apps, namespace, tunnel);
      if (plugins.has(RATE_LIMIT_PLUGIN)) {
        new KongPlugin(apps, `${namespace}-rate-limit`, {
          metadata: {
            name: RATE_LIMIT_PLUGIN,
            namespace,
            annotations: KONG_CLASS,
          },
          plugin: "rate-limiting",
          // Counters are per gateway replica (`local`, no shared store): each allows its share.
          config: {
            minute: Math.ceil(PUBLIC_RATE_LIMIT.minute / gatewayReplicas(cluster)),
            hour: Math.ceil(PUBLIC_RATE_LIMIT.hour / gatewayReplicas(cluster)),
            policy: "local",
            limit_by: "ip",
          },
        });
      }
    }
  }
}

/** One HTTPRoute per route of each workload placed on this cluster (apps layer). */
function workloadRoutes(
  apps: Construct,
  cluster: Cluster,
  estate: Estate,
  gateway: GatewayRef,
  routePlugins: RoutePlugins,
): void {
  for (const placement of placementsOn(cluster, estate)) {
    for (const [i, route] of placement.workload.routes.entries()) {
      const plugins = routePlugins.for(placement.namespace, route, placement);
      httpRoute(apps, {
        name: `${placement.workload.name}-${i}`,
        namespace: placement.namespace,
        gateway,
        host: routeHost(placement, route),
        path: route.path,
        plugins,
        backend: { name: placement.workload.name, port: placement.workload.port },
      });
    }
  }
}

/** On a public gateway: an ExternalName Service and a route for each on-prem route forwarded through it. */
function forwardedRoutes(
  apps: Construct,
  cluster: Cluster,
  estate: Estate,
  gateway: GatewayRef,
  routePlugins: RoutePlugins,
): void {
  // On-prem routes this public gateway forwards through the tunnel to the on-prem gateway.
  const forwarded = gateway.public
    ? estate.placements.flatMap((p) =>
        p.workload.routes
          .filter((r) => r.publishVia === cluster.name && cluster.stages.includes(p.stage))
          .map((r) => ({ placement: p, route: r })),
      )
    : [];
  if (forwarded.length > 0) {
    addModel(
      apps,
      new Namespace({
        metadata: {
          name: FORWARDS_NAMESPACE,
          labels: { "pod-security.kubernetes.io/enforce": podSecurityOf(FORWARDS_NAMESPACE) },
        },
      }),
    );
  }
  for (const { placement, route } of forwarded) {
    const name = `${placement.workload.name}-via-${placement.cluster.name}`;
    addModel(
      apps,
      new Service({
        metadata: {
          name,
          namespace: FORWARDS_NAMESPACE,
          annotations: {
            // The on-prem gateway routes by host: send the internal host, not the public one.
            "konghq.com/host-header": routeHost(placement, route),
            "konghq.com/protocol": "https",
          },
        },
        spec: {
          type: "ExternalName",
          externalName: gatewayAddress(placement.cluster),
          ports: [{ name: "https", port: 443 }],
        },
      }),
    );
    const plugins = routePlugins.for(FORWARDS_NAMESPACE, route);
    httpRoute(apps, {
      name,
      namespace: FORWARDS_NAMESPACE,
      gateway,
      host: `${route.host}.${cluster.dns.domain}`,
      path: route.path,
      plugins,
      backend: { name, port: 443 },
    });
  }
}

function httpRoute(
  scope: Construct,
  r: {
    name: string;
    namespace: string;
    gateway: { name: string; namespace: string };
    host: string;
    path: string;
    plugins: string[];
    backend: { name: string; port: number };
  },
): void {
  new HttpRoute(scope, `${r.namespace}-${r.name}`, {
    metadata: {
      name: r.name,
      namespace: r.namespace,
      ...(r.plugins.length ? { annotations: { "konghq.com/plugins": r.plugins.join(",") } } : {}),
    },
    spec: {
      parentRefs: [{ name: r.gateway.name, namespace: r.gateway.namespace }],
      hostnames: [r.host],
      rules: [
        {
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: r.path } }],
          backendRefs: [{ name: r.backend.name, port: r.backend.port }],
        },
      ],
    },
  });
}
