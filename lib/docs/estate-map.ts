import { type Connection, connectionsOf, type Peer } from "../connections/index.ts";
import { BACKUP_ENDPOINT } from "../data/backups.ts";
import { PUBLICATION, PUBLISHER, PUBLISHER_ENDPOINT, subscribers } from "../data/publisher.ts";
import { gatewayAddress, gatewayOf, routeHost } from "../gateways/topology.ts";
import { API_SERVER_PORT } from "../inventory/connection.ts";
import type { Cluster, Estate, Placement } from "../inventory/model.ts";
import { managementHome } from "../management/rancher.ts";
import { homeOf } from "../platform.ts";

/** Where the map is written: outside every Flux path, kept current by synth like the rest of dist/. */
export const ESTATE_MAP = "dist/docs/estate.md";

const id = (...parts: string[]) => parts.join("__").replace(/[^A-Za-z0-9_]/g, "_");
const text = (s: string) => `"${s.replace(/"/g, "#quot;")}"`;
const fence = (lines: readonly string[]) => ["```mermaid", ...lines, "```"].join("\n");
const DATA_LEVEL_CLASSES = [
  "  classDef high fill:#f8d7da,stroke:#b02a37,color:#000",
  "  classDef medium fill:#fff3cd,stroke:#997404,color:#000",
  "  classDef low fill:#d1e7dd,stroke:#146c43,color:#000",
];

function clusterTitle(c: Cluster, estate: Estate): string {
  const pools = (c.autoscaling?.pools ?? []).map((p) => ` · ${p.name} ${p.min}-${p.max} nodes (autoscaled)`);
  return `${c.name} · ${c.location} · ${c.stages.join("/")}${c.gpuNodes ? " · GPU" : ""}${pools.join("")}${managedBy(c, estate)}`;
}

/** Which Rancher manages the cluster, or that it runs Rancher. */
function managedBy(c: Cluster, estate: Estate): string {
  const home = managementHome(estate);
  if (!home) return "";
  return c === home ? " · Rancher server" : ` · managed by Rancher on ${home.name}`;
}

/** Clusters, their application namespaces and workloads, coloured by data level. */
function workloadsDiagram(estate: Estate): string {
  const lines = ["flowchart LR", ...DATA_LEVEL_CLASSES];
  for (const cluster of estate.clusters) {
    lines.push(`  subgraph ${id(cluster.name)}[${text(clusterTitle(cluster, estate))}]`);
    const byNamespace = new Map<string, Placement[]>();
    for (const p of estate.placements.filter((p) => p.cluster === cluster))
      byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p]);
    for (const [namespace, placements] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`    subgraph ${id(cluster.name, namespace)}[${text(namespace)}]`);
      for (const p of placements)
        lines.push(
          `      ${id(cluster.name, namespace, p.workload.name)}[${text(`${p.workload.name}<br/>${p.workload.dataLevel} · ${p.version.slice(0, 19)}`)}]:::${p.workload.dataLevel}`,
        );
      lines.push("    end");
    }
    lines.push("  end");
  }
  return fence(lines);
}

/** Each gateway with the routes it serves, the plugins on them, and what it forwards through the tunnel. */
function gatewaysDiagram(estate: Estate): string {
  const lines = ["flowchart LR"];
  for (const cluster of estate.clusters) {
    const gateway = gatewayOf(cluster);
    const gw = id(cluster.name, "gateway");
    lines.push(
      `  ${gw}([${text(`${gateway.name} gateway · ${cluster.name}<br/>${gatewayAddress(cluster)}`)}])`,
    );
    for (const p of estate.placements.filter((p) => p.cluster === cluster))
      for (const [i, route] of p.workload.routes.entries()) {
        const node = id(cluster.name, p.namespace, p.workload.name, "route", String(i));
        const guards = [
          ...(gateway.public ? ["rate limit"] : []),
          ...(route.jwt ? [`JWT: ${[...route.jwt.callers, ...route.jwt.publicClients].join(", ")}`] : []),
        ];
        lines.push(
          `  ${gw} --> ${node}[${text(`${routeHost(p, route)}${route.path}${guards.length ? `<br/>${guards.join(" · ")}` : ""}`)}]`,
          `  ${node} --> ${id(cluster.name, p.namespace, p.workload.name)}[${text(`${p.namespace}/${p.workload.name}`)}]`,
        );
        if (route.publishVia && p.stage === "prod")
          lines.push(`  ${id(route.publishVia, "gateway")} -->|${text(`${route.host}.* via tunnel`)}| ${gw}`);
      }
  }
  return fence(lines);
}

const peerNode = (cluster: Cluster, peer: Peer) =>
  peer.kind === "pods"
    ? `${id(cluster.name, peer.label)}[${text(peer.label)}]`
    : `${id(cluster.name, "cidr", peer.label)}{{${text(`${peer.label} ${peer.cidr}`)}}}`;
const isPlumbing = (c: Connection) =>
  c.name.endsWith("-to-dns") ||
  c.ports.some((p) => p.port === API_SERVER_PORT) ||
  c.name.startsWith("api-server-to-");

/** The declared connections of one cluster (DNS, API-server and webhook plumbing counted, not drawn). */
function connectionsDiagram(cluster: Cluster, estate: Estate): { diagram: string; plumbing: number } {
  const all = connectionsOf(cluster, estate);
  const drawn = all.filter((c) => !isPlumbing(c));
  const lines = ["flowchart LR"];
  for (const c of drawn)
    lines.push(
      `  ${peerNode(cluster, c.from)} -->|${text(c.ports.map((p) => p.port).join(","))}| ${peerNode(cluster, c.to)}`,
    );
  return { diagram: fence(lines), plumbing: all.length - drawn.length };
}

/** Where data goes between places: publication, bucket mirror, backups, logs and traces, identity. */
function dataPathsDiagram(estate: Estate): string {
  const data = homeOf(estate, "data");
  const observability = homeOf(estate, "observability");
  const identity = homeOf(estate, "identity");
  const node = (cluster: Cluster, name: string, label: string) =>
    `${id(cluster.name, name)}[${text(`${label} · ${cluster.name}`)}]`;
  const lines = ["flowchart LR"];
  if (subscribers(estate).length > 0)
    lines.push(
      `  ${node(data, "postgis", "PostGIS master")} -->|${text("anonymisation jobs")}| ${node(data, PUBLISHER, "anonymised publisher")}`,
    );
  for (const sub of subscribers(estate))
    lines.push(
      `  ${node(data, PUBLISHER, "anonymised publisher")} -->|${text(`publication ${PUBLICATION} (${PUBLISHER_ENDPOINT}, TLS verify-full)`)}| ${node(sub, "portal-db", "portal-db")}`,
    );
  const mirror = data.externalEndpoints["cloud-object-store"];
  if (mirror)
    lines.push(
      `  ${node(data, "object-store", "object store")} -->|${text("anonymized-training-data only, mc mirror every 15 min")}| ${id("external", "cloud-object-store")}[${text(mirror.host)}]`,
    );
  const backups = data.externalEndpoints[BACKUP_ENDPOINT];
  if (backups)
    for (const [cluster, db] of [
      [data, "postgis"],
      [identity, "keycloak-db"],
    ] as const)
      lines.push(
        `  ${node(cluster, db, db)} -->|${text("WAL + daily base backup (Barman Cloud)")}| ${id("external", BACKUP_ENDPOINT)}[${text(`${backups.host} (second datacenter)`)}]`,
      );
  for (const cluster of estate.clusters) {
    const via = cluster === observability ? "direct" : "gateway, JWT, tenant by identity";
    lines.push(
      `  ${node(cluster, "otel-agent", "OpenTelemetry agent")} -->|${text(`logs (${via})`)}| ${node(observability, "loki", "Loki")}`,
      `  ${node(cluster, "otel-agent", "OpenTelemetry agent")} -->|${text(`traces (${via})`)}| ${node(observability, "tempo", "Tempo")}`,
      `  ${node(cluster, "api-server", "API server")} -->|${text("OIDC keys, org CA")}| ${node(identity, "keycloak", "Keycloak")}`,
    );
  }
  return fence(lines);
}

/** The whole map as Markdown with Mermaid diagrams (Gitea renders them). Deterministic. */
export function estateMap(estate: Estate): string {
  const sections = [
    "# The estate",
    "",
    "Generated by `npm run synth` from `clusters/`; do not edit. A change to the inventory changes this",
    "file in the same pull request. Colours: data level high (red), medium (amber), low (green).",
    "",
    "## Clusters, namespaces and workloads",
    "",
    workloadsDiagram(estate),
    "",
    "## Gateways and routes",
    "",
    gatewaysDiagram(estate),
    "",
    "## Data paths",
    "",
    dataPathsDiagram(estate),
    "",
    "## Connections per cluster",
    "",
    "Every connection declared in `lib/connections/` and rendered as NetworkPolicies on both ends;",
    "`npm run validate -- --flows` prints the proven matrix.",
  ];
  for (const cluster of estate.clusters) {
    const { diagram, plumbing } = connectionsDiagram(cluster, estate);
    sections.push(
      "",
      `### ${cluster.name}`,
      "",
      `Not drawn: ${plumbing} connections of DNS, the API server and its webhooks.`,
      "",
      diagram,
    );
  }
  return `${sections.join("\n")}\n`;
}
