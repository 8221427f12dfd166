import { HelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease";
import { OCIRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository";
import { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import type { Cluster } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";
import { podSecurityOf } from "../namespaces/registry.ts";
import { PRUNE_DISABLED } from "./constants.ts";

/** A chart by name and exact version; vendored as `vendor/charts/<chart>-<version>.tgz`. */
export interface HelmChartRef {
  readonly chart: string;
  /** An exact version: charts are pinned, upgrades arrive as reviewed pull requests. */
  readonly version: string;
}

export interface HelmComponentProps {
  readonly name: string;
  readonly namespace: string;
  readonly chart: HelmChartRef;
  readonly values?: Record<string, unknown>;
  /** Other HelmReleases (by name, same cluster) that must be Ready first. */
  readonly dependsOn?: readonly { name: string; namespace: string }[];
  /** False when another component in the same namespace already renders it. */
  readonly ownNamespace?: boolean;
  /**
   * The chart keeps data (renders a PersistentVolumeClaim or a StatefulSet with volume claims): the
   * HelmRelease is never pruned. `npm run validate` fails when a chart renders such volumes without it.
   */
  readonly keepsData?: boolean;
  /** Why the chart's hooks are not run (every action disables them); the proof then leaves them out. */
  readonly withoutHooks?: string;
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

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * A platform component installed by Flux's helm-controller: its namespace, its chart from the
 * cluster's chart mirror (an OCIRepository, `<mirrors.charts>/<chart>:<version>`) and a HelmRelease
 * with remediation and drift detection.
 */
export class HelmComponent extends Construct {
  constructor(scope: Construct, cluster: Cluster, props: HelmComponentProps) {
    super(scope, props.name);
    const { name, chart } = props;
    if (!EXACT_VERSION.test(chart.version)) {
      throw new Error(`HelmComponent ${name}: chart version "${chart.version}" is not an exact version`);
    }
    this.addNamespace(props);
    this.addSource(cluster, props);
    this.addRelease(props);
  }

  private addNamespace(props: HelmComponentProps): void {
    const { namespace } = props;
    if (props.ownNamespace !== false)
      addModel(
        this,
        new Namespace({
          metadata: {
            name: namespace,
            labels: {
              "pod-security.kubernetes.io/enforce": podSecurityOf(namespace),
              "pod-security.kubernetes.io/enforce-version": "latest",
            },
          },
        }),
      );
  }

  /** The chart from the cluster's mirror, verified with the org CA. */
  private addSource(cluster: Cluster, props: HelmComponentProps): void {
    const { name, namespace, chart } = props;
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
          url: `${cluster.mirrors.charts}/${chart.chart}`,
          certSecretRef: { name: SOURCE_CA_SECRET },
          ref: { tag: chart.version },
          layerSelector: {
            mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
            operation: "copy",
          },
        },
      }),
    );
  }

  private addRelease(props: HelmComponentProps): void {
    const { name, namespace } = props;
    const noHooks = props.withoutHooks ? { disableHooks: true } : {};
    addModel(
      this,
      new HelmRelease({
        metadata: { name, namespace, ...annotationsOf(props) },
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
          ...(props.withoutHooks ? { rollback: noHooks, uninstall: noHooks } : {}),
          driftDetection: { mode: "enabled" },
          ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((d) => ({ ...d })) } : {}),
          ...(props.values ? { values: props.values } : {}),
        },
      }),
    );
  }
}

/** Never pruned when it keeps data; why its hooks do not run when they do not. */
function annotationsOf(props: HelmComponentProps): { annotations?: Record<string, string> } {
  const annotations = {
    ...(props.keepsData ? PRUNE_DISABLED : {}),
    ...(props.withoutHooks ? { "waterschap.example/hooks-disabled": props.withoutHooks } : {}),
  };
  return Object.keys(annotations).length ? { annotations } : {};
}
