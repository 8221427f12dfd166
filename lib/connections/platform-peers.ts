import { type Connection, pods, tcp } from "../inventory/connection.ts";
import {
  CERT_MANAGER_NAMESPACE,
  CNPG_NAMESPACE,
  KONG_NAMESPACE,
  KYVERNO_NAMESPACE,
  OBJECT_STORE,
  OBSERVABILITY_NAMESPACE,
  TELEMETRY_NAMESPACE,
} from "../platform.ts";

/** Pods of the platform charts, selected by the labels their charts render (proven by the reachability check). */
export const KONG_GATEWAY = pods(KONG_NAMESPACE, { "app.kubernetes.io/name": "gateway" }, "kong-gateway");
export const KONG_CONTROLLER = pods(
  KONG_NAMESPACE,
  { "app.kubernetes.io/name": "controller" },
  "kong-controller",
);
export const KYVERNO_ALL = pods(KYVERNO_NAMESPACE, {}, "*");
export const kyvernoComponent = (component: string) =>
  pods(KYVERNO_NAMESPACE, { "app.kubernetes.io/component": component }, `kyverno-${component}`);

export const OTEL_AGENT = pods(
  TELEMETRY_NAMESPACE,
  { "app.kubernetes.io/name": "opentelemetry-collector" },
  "otel-agent",
);
/** OTLP over gRPC and over HTTP, on the agent's hostPorts. */
export const OTLP_HTTP_PORT = 4318;
export const OTLP_PORTS = [4317, OTLP_HTTP_PORT];

export const CNPG_OPERATOR = pods(
  CNPG_NAMESPACE,
  { "app.kubernetes.io/name": "cloudnative-pg" },
  "cnpg-operator",
);
/** The instance pods of one CloudNativePG Cluster. */
export const cnpgInstances = (namespace: string, cluster: string) =>
  pods(namespace, { "cnpg.io/cluster": cluster, "cnpg.io/podRole": "instance" }, cluster);

export const LOKI = pods(OBSERVABILITY_NAMESPACE, { "app.kubernetes.io/component": "single-binary" }, "loki");
export const LOKI_GATEWAY = pods(
  OBSERVABILITY_NAMESPACE,
  { "app.kubernetes.io/component": "gateway" },
  "loki-gateway",
);
export const TEMPO = pods(OBSERVABILITY_NAMESPACE, { "app.kubernetes.io/name": "tempo" }, "tempo");
/** The metrics store (chart prometheus, release prometheus: its server). */
export const PROMETHEUS = pods(
  OBSERVABILITY_NAMESPACE,
  { "app.kubernetes.io/name": "prometheus", "app.kubernetes.io/component": "server" },
  "prometheus",
);
export const PROMETHEUS_PORT = 9090;

export const CERT_MANAGER_ALL = pods(CERT_MANAGER_NAMESPACE, {}, "cert-manager");
export const CERT_MANAGER_WEBHOOK = pods(
  CERT_MANAGER_NAMESPACE,
  { "app.kubernetes.io/component": "webhook" },
  "cert-manager-webhook",
);
/** The Barman Cloud plugin's Deployment (in the operator's namespace) and its gRPC port. */
export const BARMAN_PLUGIN_PODS = pods(
  CNPG_NAMESPACE,
  { "app.kubernetes.io/name": "plugin-barman-cloud" },
  "barman-cloud-plugin",
);
export const BARMAN_PLUGIN_PORT = 9090;

/** The object store's pods (chart minio, release object-store). */
export const MINIO = pods(OBJECT_STORE.namespace, { ...OBJECT_STORE.podLabels }, "minio");

/** Pods that use the object store's S3 API. */
export const toObjectStore = (name: string, from: Connection["from"], why: string): Connection => ({
  name: `${name}-to-object-store`,
  from,
  to: MINIO,
  ports: tcp(OBJECT_STORE.port),
  why,
});
