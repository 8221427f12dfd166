import { HelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2";
import { HelmRepository, OCIRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
import { Construct } from "constructs";
import { Namespace } from "kubernetes-models/v1";
import { addModel } from "../k8s/model-object.ts";

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

export interface HelmChartRef {
  /** `https://…` for a classic Helm repository, `oci://…/<chart>` for a chart in an OCI registry. */
  readonly repository: string;
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
  /** Pod Security Admission level enforced on the component's namespace; say why when not restricted. */
  readonly podSecurity: PodSecurityLevel;
  /** False when another component in the same namespace already renders it. */
  readonly ownNamespace?: boolean;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * A platform component installed by Flux's helm-controller: its namespace, its chart source
 * (HelmRepository or OCIRepository) and a HelmRelease with remediation and drift detection.
 */
export class HelmComponent extends Construct {
  constructor(scope: Construct, props: HelmComponentProps) {
    super(scope, props.name);
    const { name, namespace, chart } = props;
    if (!EXACT_VERSION.test(chart.version)) {
      throw new Error(`HelmComponent ${name}: chart version "${chart.version}" is not an exact version`);
    }

    if (props.ownNamespace !== false)
      addModel(
        this,
        new Namespace({
          metadata: {
            name: namespace,
            labels: {
              "pod-security.kubernetes.io/enforce": props.podSecurity,
              "pod-security.kubernetes.io/enforce-version": "latest",
            },
          },
        }),
      );

    const oci = chart.repository.startsWith("oci://");
    if (oci) {
      addModel(
        this,
        new OCIRepository({
          metadata: { name, namespace },
          spec: {
            interval: "12h",
            url: chart.repository,
            ref: { tag: chart.version },
            layerSelector: {
              mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
              operation: "copy",
            },
          },
        }),
      );
    } else {
      addModel(
        this,
        new HelmRepository({
          metadata: { name, namespace },
          spec: { interval: "12h", url: chart.repository },
        }),
      );
    }

    addModel(
      this,
      new HelmRelease({
        metadata: { name, namespace },
        spec: {
          interval: "30m",
          timeout: "10m",
          releaseName: name,
          ...(oci
            ? { chartRef: { kind: "OCIRepository", name, namespace } }
            : {
                chart: {
                  spec: {
                    chart: chart.chart,
                    version: chart.version,
                    sourceRef: { kind: "HelmRepository", name, namespace },
                    interval: "12h",
                  },
                },
              }),
          install: { crds: "CreateReplace", remediation: { retries: 3 } },
          upgrade: {
            crds: "CreateReplace",
            cleanupOnFail: true,
            remediation: { retries: 3, strategy: "rollback" },
          },
          driftDetection: { mode: "enabled" },
          ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((d) => ({ ...d })) } : {}),
          ...(props.values ? { values: props.values } : {}),
        },
      }),
    );
  }
}
