import type { HelmChartRef } from "../flux/helm-component.ts";
import { vendoredChart } from "../helm/releases.ts";
import { renderRelease } from "../helm/render.ts";
import type { Manifest } from "../k8s/model-object.ts";
import { RANCHER_NAMESPACE } from "../platform.ts";
import { byCluster } from "./by-cluster.ts";
import type { HydratedObject, HydrationProblem } from "./index.ts";

/**
 * The chart Rancher installs on every cluster it manages, not Flux: vendored at the version Rancher
 * pins, so the proof renders what will run. Rancher v2.14.4 `build.yaml`:
 * `webhookVersion: 109.0.5+up0.10.9`. Bump with Rancher's pin (charts/components/index.ts).
 */
export const RANCHER_WEBHOOK_CHART: HelmChartRef = { chart: "rancher-webhook", version: "0.10.9" };

type Spec = Record<string, any>;

/**
 * What Rancher creates by itself on every cluster it manages (rancher/rancher v2.14.4): its
 * namespaces, and (pkg/controllers/dashboard/systemcharts) the rancher-webhook chart in cattle-system, on the
 * management home by the server and on a managed cluster by the agent's embedded controllers. Its
 * images come from the system default registry, which is what the rendered Rancher Deployment
 * (CATTLE_SYSTEM_DEFAULT_REGISTRY) or agent (CATTLE_CLUSTER_REGISTRY) carries: without it they would
 * come from Docker Hub, and the image checks say so. The other system charts are not rendered, so
 * each must be off, or the proof cannot speak for what Rancher would run (`unrenderedCharts`).
 */
export async function rancherSystemCharts(
  root: string,
  all: readonly HydratedObject[],
  problems: HydrationProblem[],
): Promise<HydratedObject[]> {
  const created: HydratedObject[] = [];
  for (const [cluster, objects] of byCluster(all)) {
    const rancher = rancherProcess(objects);
    if (!rancher) continue;
    for (const message of unrenderedCharts(rancher))
      problems.push({ cluster, file: rancher.origin, subject: `Rancher ${rancher.kind}`, message });
    // Operator objects are named by the origin's last segment (lib/reachability/pods.ts).
    const origin = `operator Rancher (${rancher.kind} ${rancher.name}): chart ${RANCHER_NAMESPACE}/rancher-webhook`;
    const report = (message: string) =>
      problems.push({
        cluster,
        file: rancher.origin,
        subject: "Rancher system chart rancher-webhook",
        message,
      });
    const pin = RANCHER_WEBHOOK_CHART;
    const chart = vendoredChart(root, pin.chart, pin.version);
    if (typeof chart === "string") {
      report(chart);
      continue;
    }
    const result = await renderRelease(root, {
      chartPath: chart.path,
      releaseName: pin.chart,
      namespace: RANCHER_NAMESPACE,
      values: webhookValues(rancher),
    });
    if (!result.ok) {
      report(`cannot prove what Rancher installs: ${result.message}`);
      continue;
    }
    for (const name of namespacesRancherCreates(rancher))
      created.push({
        cluster,
        origin: `operator Rancher (${rancher.kind} ${rancher.name}): namespace ${name}`,
        manifest: { apiVersion: "v1", kind: "Namespace", metadata: { name } },
      });
    for (const manifest of result.manifests.map(withRegisteredWebhooks))
      created.push({
        cluster,
        origin,
        manifest: manifest.metadata?.namespace
          ? manifest
          : { ...manifest, metadata: { ...manifest.metadata, namespace: RANCHER_NAMESPACE } },
      });
  }
  return created;
}

/**
 * Namespaces Rancher creates at start, with a name and nothing else (no labels: its namespace
 * mutator is off): cattle-impersonation-system on every cluster it manages (pkg/impersonation), and
 * on the server cattle-global-data (pkg/data/management/global_namespace.go). Its per-cluster and
 * per-project namespaces on the server are made the same way, under generated names.
 */
function namespacesRancherCreates(rancher: RancherProcess): string[] {
  return rancher.kind === "server"
    ? ["cattle-global-data", "cattle-impersonation-system"]
    : ["cattle-impersonation-system"];
}

interface RancherProcess {
  readonly kind: "server" | "agent";
  readonly name: string;
  readonly origin: string;
  readonly registry: string;
  readonly env: ReadonlyMap<string, string>;
}

/**
 * The system charts the proof does not render, each with the switch that keeps it off
 * (pkg/controllers/dashboard/systemcharts `Enabled`): remotedialer-proxy unless
 * IMPERATIVE_API_DIRECT is "true" (pkg/ext RDPEnabled; servers only), rancher-turtles with the
 * `turtles` feature, the system-upgrade-controller with imported-cluster version management (the
 * server's setting) or the agent's `managed-system-upgrade-controller` feature.
 */
function unrenderedCharts(rancher: RancherProcess): string[] {
  const features = new Map(
    (rancher.env.get("CATTLE_FEATURES") ?? "").split(",").map((f) => f.split("=") as [string, string]),
  );
  const on = [
    rancher.kind === "server" && rancher.env.get("IMPERATIVE_API_DIRECT") !== "true" && "remotedialer-proxy",
    features.get("turtles") !== "false" && "rancher-turtles (feature turtles)",
    (rancher.kind === "server"
      ? rancher.env.get("CATTLE_IMPORTED_CLUSTER_VERSION_MANAGEMENT") !== "false"
      : features.get("managed-system-upgrade-controller") !== "false") && "system-upgrade-controller",
  ].filter((chart): chart is string => typeof chart === "string");
  return on.map(
    (chart) =>
      `cannot prove what Rancher installs: ${chart} would be installed, and the proof does not render it`,
  );
}

/** Rancher's server or agent Deployment in cattle-system, and the system default registry it uses. */
function rancherProcess(objects: readonly HydratedObject[]): RancherProcess | undefined {
  for (const { manifest, origin } of objects) {
    if (manifest.kind !== "Deployment" || manifest.metadata?.namespace !== RANCHER_NAMESPACE) continue;
    const name = manifest.metadata?.name;
    const env = ((manifest.spec as Spec)?.template?.spec?.containers?.[0]?.env ?? []) as Spec[];
    const values = new Map(env.filter((e) => typeof e.value === "string").map((e) => [e.name, e.value]));
    const value = (key: string) => String(values.get(key) ?? "");
    if (name === "rancher")
      return { kind: "server", name, origin, registry: value("CATTLE_SYSTEM_DEFAULT_REGISTRY"), env: values };
    if (name === "cattle-cluster-agent")
      return { kind: "agent", name, origin, registry: value("CATTLE_CLUSTER_REGISTRY"), env: values };
  }
  return undefined;
}

/**
 * The values the systemcharts controller installs the webhook with: `mcm.enabled` as the process's
 * multi-cluster-management feature (on for the server, off in an agent: pkg/systemtemplate
 * GetDesiredFeatures), the priority class from the server chart's `rancher-config` ConfigMap (the
 * agent has none), the system default registry as every system chart's `global.cattle`.
 */
function webhookValues(rancher: RancherProcess): Record<string, unknown> {
  return {
    capi: null,
    mcm: { enabled: rancher.kind === "server" },
    ...(rancher.kind === "server" ? { priorityClassName: "rancher-critical" } : {}),
    global: { cattle: { systemDefaultRegistry: rancher.registry } },
  };
}

/**
 * The chart renders its webhook configurations empty; the webhook's leader fills them in at run
 * time with its validators and mutators, each calling Service cattle-system/rancher-webhook on port
 * 443 (rancher/webhook v0.10.9 pkg/server/server.go). Which resources each matches is not modelled,
 * only where the API server must reach it.
 */
function withRegisteredWebhooks(manifest: Manifest): Manifest {
  const kind = manifest.kind;
  if (kind !== "ValidatingWebhookConfiguration" && kind !== "MutatingWebhookConfiguration") return manifest;
  const path = kind === "ValidatingWebhookConfiguration" ? "/v1/webhook/validation" : "/v1/webhook/mutation";
  return {
    ...manifest,
    webhooks: [
      {
        name: "rancher.cattle.io",
        admissionReviewVersions: ["v1"],
        sideEffects: "None",
        failurePolicy: "Fail",
        clientConfig: { service: { namespace: RANCHER_NAMESPACE, name: "rancher-webhook", path, port: 443 } },
      },
    ],
  } as Manifest;
}
