import { CLIENT_SECRET_KEY, clientSecretName } from "../../lib/identity/clients.ts";
import { mirror } from "../../lib/images.ts";
import type { Cluster, Estate } from "../../lib/inventory/model.ts";
import { resources } from "../../lib/k8s/pod-defaults.ts";
import { DASHBOARDS, dashboardJson } from "../../lib/observability/dashboards.ts";
import { CA_BUNDLE_KEY, ORG_CA_BUNDLE } from "../../lib/pki/certificates.ts";
import { KEYCLOAK_NAMESPACE, keycloakIssuer, OBSERVABILITY_NAMESPACE } from "../../lib/platform.ts";

/** Grafana's SOPS Secret with its break-glass admin (keys admin-user, admin-password). */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const grafanaHost = (cluster: Cluster) => `grafana.${cluster.dns.domain}`;
const PROMETHEUS_UID = "prometheus";
const svc = (name: string, port?: number) =>
  `http://${name}.${OBSERVABILITY_NAMESPACE}.svc.cluster.local${port ? `:${port}` : ""}`;

/**
 * Grafana on the observability home: people sign in with Keycloak (the realm's `grafana` client;
 * realm group `platform` is Admin, everyone else Viewer), the metrics store, and Loki and Tempo
 * once per cluster (each cluster is a tenant), traces linked to their logs; the dashboards are
 * rendered from lib/observability/dashboards.ts. Nothing is kept on disk: dashboards and data
 * sources come from Git, users from Keycloak. No internet: update checks and reporting are off.
 */
export function grafanaValues(cluster: Cluster, estate: Pick<Estate, "clusters">): Record<string, unknown> {
  return {
    image: { registry: mirror(cluster, "docker.io"), repository: "grafana/grafana" },
    testFramework: { enabled: false },
    persistence: { enabled: false },
    resources: resources(["100m", "1"], ["256Mi", "1Gi"]),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 472,
      runAsGroup: 472,
      fsGroup: 472,
      seccompProfile: { type: "RuntimeDefault" },
    },
    admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
    envValueFrom: {
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: {
        secretKeyRef: { name: clientSecretName("grafana"), key: CLIENT_SECRET_KEY },
      },
    },
    extraSecretMounts: [
      { name: "org-ca", secretName: ORG_CA_BUNDLE, mountPath: "/etc/org-ca", readOnly: true },
    ],
    "grafana.ini": grafanaIni(cluster, estate),
    datasources: { "datasources.yaml": { apiVersion: 1, datasources: dataSources(estate) } },
    dashboardProviders: {
      "dashboardproviders.yaml": {
        apiVersion: 1,
        providers: [
          {
            name: "estate",
            folder: "Estate",
            type: "file",
            disableDeletion: true,
            editable: false,
            options: { path: "/var/lib/grafana/dashboards/estate" },
          },
        ],
      },
    },
    // Our own ConfigMap, not the chart's `dashboards` (which adds a curl init container to download).
    dashboardsConfigMaps: { estate: DASHBOARDS_CONFIGMAP },
  };
}

/** The dashboards' ConfigMap in the observability namespace, one JSON file per dashboard. */
export const DASHBOARDS_CONFIGMAP = "grafana-dashboards-estate";

export function dashboardFiles(): Record<string, string> {
  return Object.fromEntries(DASHBOARDS.map((d) => [`${d.uid}.json`, dashboardJson(d, PROMETHEUS_UID)]));
}

/** Sign-in through Keycloak: the browser on the public sso host, Grafana itself inside the cluster. */
function grafanaIni(cluster: Cluster, estate: Pick<Estate, "clusters">): Record<string, unknown> {
  const issuer = keycloakIssuer(estate);
  const inCluster = issuer.replace(
    /^https:\/\/[^/]+/,
    `https://keycloak-service.${KEYCLOAK_NAMESPACE}.svc:8443`,
  );
  return {
    server: { domain: grafanaHost(cluster), root_url: `https://${grafanaHost(cluster)}` },
    analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
    auth: { disable_login_form: true },
    "auth.generic_oauth": {
      enabled: true,
      name: "Keycloak",
      client_id: "grafana",
      scopes: "openid email profile",
      auth_url: `${issuer}/protocol/openid-connect/auth`,
      token_url: `${inCluster}/protocol/openid-connect/token`,
      api_url: `${inCluster}/protocol/openid-connect/userinfo`,
      tls_client_ca: `/etc/org-ca/${CA_BUNDLE_KEY}`,
      role_attribute_path: "contains(groups[*], 'platform') && 'Admin' || 'Viewer'",
      allow_sign_up: true,
    },
  };
}

/**
 * The metrics store; Loki and Tempo once per tenant (cluster), and once for all of them (a
 * federated query, tenants joined by `|`: a citizen's request crosses clusters, so its trace and
 * logs are in several tenants), each trace linked to its logs.
 */
function dataSources(estate: Pick<Estate, "clusters">): Record<string, unknown>[] {
  const tenant = (name: string) => ({
    jsonData: { httpHeaderName1: "X-Scope-OrgID" },
    secureJsonData: { httpHeaderValue1: name },
  });
  const pair = (name: string, uid: string, tenants: string) => {
    const { jsonData, secureJsonData } = tenant(tenants);
    const logs = `loki-${uid}`;
    return [
      { jsonData, secureJsonData, name: `Loki ${name}`, uid: logs, type: "loki", url: svc("loki-gateway") },
      {
        name: `Tempo ${name}`,
        uid: `tempo-${uid}`,
        type: "tempo",
        url: svc("tempo", 3200),
        jsonData: {
          ...jsonData,
          tracesToLogsV2: {
            datasourceUid: logs,
            filterByTraceID: true,
            spanStartTimeShift: "-5m",
            spanEndTimeShift: "5m",
          },
        },
        secureJsonData,
      },
    ];
  };
  const prometheus = { name: "Prometheus", uid: PROMETHEUS_UID, type: "prometheus", isDefault: true };
  return [
    { ...prometheus, url: svc("prometheus-server") },
    ...pair("all clusters", "all", estate.clusters.map((c) => c.name).join("|")),
    ...estate.clusters.flatMap((c) => pair(c.name, c.name, c.name)),
  ];
}
