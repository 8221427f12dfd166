import { HelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease";
import { OCIRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository";
import { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import type { PinnedComponent } from "../inventory/component.ts";
import type { Cluster, Estate } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";
import { PRUNE_DISABLED } from "./constants.ts";

/** A chart by name and exact version; vendored as `vendor/charts/<chart>-<version>.tgz`. */
export interface HelmChartRef {
  readonly chart: string;
  /** An exact version: charts are pinned, upgrades arrive as reviewed pull requests. */
  readonly version: string;
}

/** The org CA bundle Flux sources verify the mirrors with (`ca.crt`), one per namespace with sources. */
export const SOURCE_CA_SECRET = "org-ca-sources";
const sourcesRendered = new WeakMap<object, Set<string>>();

/** Whether this is the first chart source in `namespace` of this cluster's render (one bundle each). */
function firstSourceIn(scope: Construct, namespace: string): boolean {
  const root = scope.node.root;
  const seen = sourcesRendered.get(root) ?? new Set<string>();
  sourcesRendered.set(root, seen);
  if (seen.has(namespace)) return false;
  seen.add(namespace);
  return true;
}

/**
 * A platform component installed by Flux's helm-controller, from its descriptor
 * (charts/components/): its namespace when it owns one, its chart from the cluster's chart mirror
 * (an OCIRepository, `<mirrors.charts>/<chart>:<version>`) and a HelmRelease with remediation and
 * drift detection.
 */
export class HelmComponent extends Construct {
  constructor(scope: Construct, cluster: Cluster, estate: Estate, component: PinnedComponent) {
    super(scope, component.name);
    this.addNamespace(component);
    this.addSource(cluster, component);
    this.addRelease(component, component.values(cluster, estate));
  }

  private addNamespace(component: PinnedComponent): void {
    const { namespace, ownNamespace } = component;
    if (ownNamespace)
      addModel(
        this,
        new Namespace({
          metadata: {
            name: namespace,
            labels: {
              "pod-security.kubernetes.io/enforce": ownNamespace.podSecurity,
              "pod-security.kubernetes.io/enforce-version": "latest",
            },
          },
        }),
      );
  }

  /** The chart from the cluster's mirror, verified with the org CA. */
  private addSource(cluster: Cluster, component: PinnedComponent): void {
    const { name, namespace, chart, version } = component;
    // The chart mirror's certificate is the organisation's: source-controller verifies it with the
    // org CA, from a public bundle beside the source (same layer, so it exists when the source does).
    if (firstSourceIn(this, namespace))
      addModel(
        this,
        new Secret({
          metadata: { name: SOURCE_CA_SECRET, namespace, labels: { "waterschap.example/public-ca": "true" } },
          type: "Opaque",
          stringData: { "ca.crt": cluster.pki.caCertificatePem },
        }),
      );
    addModel(
      this,
      new OCIRepository({
        metadata: { name, namespace },
        spec: {
          interval: "12h",
          url: `${cluster.mirrors.charts}/${chart}`,
          certSecretRef: { name: SOURCE_CA_SECRET },
          ref: { tag: version },
          layerSelector: {
            mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
            operation: "copy",
          },
        },
      }),
    );
  }

  private addRelease(component: PinnedComponent, values: Record<string, unknown>): void {
    const { name, namespace, withoutHooks, dependsOn } = component;
    const noHooks = withoutHooks ? { disableHooks: true } : {};
    addModel(
      this,
      new HelmRelease({
        metadata: { name, namespace, ...annotationsOf(component) },
        spec: {
          interval: "30m",
          timeout: "10m",
          releaseName: name,
          chartRef: { kind: "OCIRepository", name, namespace },
          install: { crds: "CreateReplace", remediation: { retries: 3 }, ...noHooks },
          upgrade: {
            crds: "CreateReplace",
            cleanupOnFail: true,
            remediation: { retries: 3, strategy: "rollback" },
            ...noHooks,
          },
          ...(withoutHooks ? { rollback: noHooks, uninstall: noHooks } : {}),
          driftDetection: { mode: "enabled" },
          ...(dependsOn?.length ? { dependsOn: dependsOn.map((d) => ({ ...d })) } : {}),
          values,
        },
      }),
    );
  }
}

/** Never pruned when it keeps data; why its hooks do not run when they do not. */
function annotationsOf(component: PinnedComponent): { annotations?: Record<string, string> } {
  const annotations = {
    ...(component.keepsData ? PRUNE_DISABLED : {}),
    ...(component.withoutHooks ? { "waterschap.example/hooks-disabled": component.withoutHooks } : {}),
  };
  return Object.keys(annotations).length ? { annotations } : {};
}
