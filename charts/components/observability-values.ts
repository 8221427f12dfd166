import { CLIENT_SECRET_KEY, clientSecretName } from "../../lib/identity/clients.ts";
import { mirror } from "../../lib/images.ts";
import type { MetricsEndpoint } from "../../lib/inventory/connection.ts";
import type { Cluster } from "../../lib/inventory/model.ts";
import { resources, restrictedContainer, restrictedPod } from "../../lib/k8s/pod-defaults.ts";
import { ORG_CA_BUNDLE } from "../../lib/pki/certificates.ts";
import { OBJECT_STORE } from "../../lib/platform.ts";

/** OTLP endpoints of the observability home, as the otlphttp exporter takes them (it appends /v1/<signal>). */
export interface TelemetryEndpoints {
  readonly logs: string;
  readonly traces: string;
  readonly metrics: string;
}

/** The Secret (SOPS-encrypted, in the observability namespace) with Loki's object-store credentials. */
export const LOKI_S3_SECRET = "loki-s3";

/**
 * How long logs and traces are kept (AVG art. 5(1)(e): no longer than needed). Logs: 90 days, long
 * enough to investigate a security incident after it is found (BIO 12.4 asks for logging that allows
 * it); traces: 30 days, they serve debugging. Loki's compactor deletes what is older, per tenant.
 */
export const LOG_RETENTION = "2160h";
export const TRACE_RETENTION = "720h";

/**
 * Loki as one binary (the chart's SingleBinary mode: read, write and backend scaled to zero) storing
 * chunks and rules in the on-prem object store; credentials come from the environment (expanded by
 * Loki at start), never from the values.
 */
export function lokiValues(cluster: Cluster): Record<string, unknown> {
  const pod = { podSecurityContext: restrictedPod(10001), containerSecurityContext: restrictedContainer() };
  return {
    deploymentMode: "SingleBinary",
    global: {
      image: { registry: mirror(cluster, "docker.io") },
      // The gateway's nginx resolves through the cluster DNS Service, which RKE2 names its own way.
      dnsService: cluster.platform.clusterDns.service,
      dnsNamespace: cluster.platform.clusterDns.namespace,
      clusterDomain: cluster.platform.clusterDns.domain,
    },
    loki: { ...lokiConfig(), ...pod },
    singleBinary: {
      replicas: 1,
      extraArgs: ["-config.expand-env=true"],
      extraEnvFrom: [{ secretRef: { name: LOKI_S3_SECRET } }],
      resources: resources(["500m", "2"], ["1Gi", "4Gi"]),
      persistence: { enabled: true, size: "50Gi" },
    },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    gateway: { resources: resources(["50m", "500m"], ["64Mi", "256Mi"]), ...pod },
    // The rules sidecar watches ConfigMaps and Secrets through the API server, which Loki's pods may not
    // reach (no connection declared) and no estate object feeds (alert rules are Prometheus's).
    sidecar: { rules: { enabled: false } },
    // A single binary needs neither memcached tier; the canary is a test tool.
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

/** Loki's own configuration: a tenant per cluster, retention by the compactor, S3 in the object store. */
function lokiConfig(): Record<string, unknown> {
  return {
    // One tenant per cluster: the gateway stamps it from the caller's identity (charts/gateways.ts).
    auth_enabled: true,
    commonConfig: { replication_factor: 1 },
    limits_config: { retention_period: LOG_RETENTION },
    // Grafana's "all clusters" source asks for several tenants at once (`a|b`): a request's logs
    // are in the tenants of every cluster it crossed.
    querier: { multi_tenant_queries_enabled: true },
    // Retention is the compactor's job; deletes are recorded in the object store (Loki 3.x needs it).
    compactor: {
      working_directory: "/var/loki/compactor",
      retention_enabled: true,
      delete_request_store: "s3",
    },
    storage: {
      type: "s3",
      bucketNames: { chunks: "loki-chunks", ruler: "loki-ruler" },
      s3: {
        endpoint: OBJECT_STORE.url,
        s3ForcePathStyle: true,
        insecure: true,
        accessKeyId: "${LOKI_S3_ACCESS_KEY_ID}",
        secretAccessKey: "${LOKI_S3_SECRET_ACCESS_KEY}",
      },
    },
    schemaConfig: {
      configs: [
        {
          from: "2026-01-01",
          store: "tsdb",
          object_store: "s3",
          schema: "v13",
          index: { prefix: "index_", period: "24h" },
        },
      ],
    },
  };
}

/** Tempo: the chart composes `<tempo.registry>/<tempo.repository>`, so both are set. */
export function tempoValues(cluster: Cluster): Record<string, unknown> {
  return {
    tempo: {
      registry: mirror(cluster, "docker.io"),
      repository: "grafana/tempo",
      receivers: { otlp: { protocols: { http: {}, grpc: {} } } },
      // One tenant per cluster, as in Loki: the gateway stamps it from the caller's identity.
      multitenancyEnabled: true,
      retention: TRACE_RETENTION,
      resources: resources(["200m", "1"], ["512Mi", "2Gi"]),
      securityContext: restrictedContainer(),
    },
    securityContext: restrictedPod(10001),
    persistence: { enabled: true, size: "50Gi" },
  };
}

/** Where the agent's mounted copy of the organisation's CA is (Secret `org-ca`). */
const CA_FILE = "/etc/org-ca/ca.crt";

/**
 * The OpenTelemetry agent (a DaemonSet): container logs, OTLP traces and metrics, with the cluster's
 * name. On the observability home it writes to Loki (its own tenant), Tempo and Prometheus directly;
 * elsewhere it ships through the home's gateway with a token of its own Keycloak client, verifying the gateway's
 * certificate with the organisation's CA. Its Service (node-local) receives the gateway's spans.
 */
export function agentValues(
  cluster: Cluster,
  endpoints: TelemetryEndpoints,
  scrape: readonly MetricsEndpoint[],
  remote?: { tokenUrl: string },
): Record<string, unknown> {
  return {
    mode: "daemonset",
    image: { repository: mirror(cluster, "docker.io/otel/opentelemetry-collector-k8s") },
    presets: { logsCollection: { enabled: true }, kubernetesAttributes: { enabled: true } },
    service: { enabled: true },
    // The collector's own user, not root: it reads the pod logs through the group the runtime gives
    // them (platform contract nodeLogs), and changes nothing on the node.
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      supplementalGroups: [cluster.platform.nodeLogs.group],
      seccompProfile: { type: "RuntimeDefault" },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    ...(remote
      ? {
          extraEnvs: [
            {
              name: "OIDC_CLIENT_SECRET",
              valueFrom: {
                secretKeyRef: {
                  name: clientSecretName(`otel-agent-${cluster.name}`),
                  key: CLIENT_SECRET_KEY,
                },
              },
            },
          ],
          extraVolumes: [{ name: "org-ca", secret: { secretName: ORG_CA_BUNDLE } }],
          extraVolumeMounts: [{ name: "org-ca", mountPath: "/etc/org-ca", readOnly: true }],
        }
      : {}),
    config: agentConfig(cluster, endpoints, scrape, remote),
    resources: resources(["100m", "500m"], ["256Mi", "512Mi"]),
  };
}

/** The collector's pipelines: where each signal goes, with the token and CA off the home. */
function agentConfig(
  cluster: Cluster,
  endpoints: TelemetryEndpoints,
  scrape: readonly MetricsEndpoint[],
  remote?: { tokenUrl: string },
): Record<string, unknown> {
  const auth = remote ? { auth: { authenticator: "oauth2client" }, tls: { ca_file: CA_FILE } } : {};
  const tenant = remote ? {} : { headers: { "X-Scope-OrgID": cluster.name } };
  return {
    ...(remote
      ? {
          extensions: {
            oauth2client: {
              client_id: `otel-agent-${cluster.name}`,
              client_secret: "${env:OIDC_CLIENT_SECRET}",
              token_url: remote.tokenUrl,
              tls: { ca_file: CA_FILE },
            },
          },
        }
      : {}),
    receivers: { prometheus: { config: { scrape_configs: scrapeConfigs(scrape) } } },
    exporters: {
      "otlphttp/loki": { endpoint: endpoints.logs, ...tenant, ...auth },
      "otlphttp/tempo": { endpoint: endpoints.traces, ...tenant, ...auth },
      "otlphttp/prometheus": { endpoint: endpoints.metrics, ...auth },
    },
    processors: {
      resource: { attributes: [{ key: "k8s.cluster.name", value: cluster.name, action: "upsert" }] },
    },
    service: {
      ...(remote ? { extensions: ["health_check", "oauth2client"] } : {}),
      pipelines: {
        logs: {
          receivers: ["filelog"],
          processors: ["k8sattributes", "resource", "batch"],
          exporters: ["otlphttp/loki"],
        },
        traces: {
          receivers: ["otlp"],
          processors: ["k8sattributes", "resource", "batch"],
          exporters: ["otlphttp/tempo"],
        },
        // The applications' OTLP metrics and the collector's own (the chart's prometheus receiver).
        metrics: {
          receivers: ["otlp", "prometheus"],
          processors: ["k8sattributes", "resource", "batch"],
          exporters: ["otlphttp/prometheus"],
        },
      },
    },
  };
}

/**
 * The agent's prometheus receiver: its own metrics (the chart's job, kept), and each component
 * endpoint on its node, found through the API (pods on this node in the endpoint's namespace) and
 * kept where the pod carries the endpoint's labels and exposes its port.
 */
function scrapeConfigs(scrape: readonly MetricsEndpoint[]): Record<string, unknown>[] {
  const label = (key: string) => `__meta_kubernetes_pod_label_${key.replace(/[^A-Za-z0-9_]/g, "_")}`;
  return [
    {
      job_name: "opentelemetry-collector",
      scrape_interval: "30s",
      static_configs: [{ targets: ["${env:MY_POD_IP}:8888"] }],
    },
    ...scrape.map((e) => ({
      job_name: e.job,
      scrape_interval: "30s",
      metrics_path: e.path,
      kubernetes_sd_configs: [
        {
          role: "pod",
          namespaces: { names: [e.pods.namespace] },
          selectors: [{ role: "pod", field: "spec.nodeName=${env:K8S_NODE_NAME}" }],
        },
      ],
      relabel_configs: [
        ...Object.entries(e.pods.labels).map(([key, value]) => ({
          source_labels: [label(key)],
          regex: value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
          action: "keep",
        })),
        {
          source_labels: ["__meta_kubernetes_pod_container_port_number"],
          regex: String(e.port),
          action: "keep",
        },
        { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
        { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      ],
    })),
  ];
}
