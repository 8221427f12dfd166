import { Construct } from "constructs";
import { CronJob } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { HelmComponent } from "../flux/helm-component.ts";
import { mirror } from "../images.ts";
import type { Cluster } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";

/**
 * What the platform needs from an object store, independent of the product: buckets, and which of
 * them are mirrored to an external (cloud) endpoint. The design names MinIO; its community edition is
 * unmaintained, so the product is one implementation of this interface, replaceable without touching
 * the charts that declare buckets.
 */
export interface ObjectStoreSpec {
  readonly name: string;
  readonly namespace: string;
  readonly size: string;
  readonly buckets: readonly string[];
  /** Buckets copied one way to an external endpoint of the cluster inventory (e.g. the cloud store). */
  readonly mirrors: readonly { readonly bucket: string; readonly endpoint: string }[];
}

export type ObjectStoreImplementation = (scope: Construct, cluster: Cluster, spec: ObjectStoreSpec) => void;

export const MINIO_CHART = {
  repository: "https://charts.min.io/",
  chart: "minio",
  version: "5.4.0",
} as const;

import { MC_IMAGE } from "../workloads/model-sync.ts";

/** The MinIO implementation: the community chart in distributed mode, plus one mirror CronJob per bucket. */
export const minioObjectStore: ObjectStoreImplementation = (scope, cluster, spec) => {
  const store = new Construct(scope, spec.name);
  new HelmComponent(store, {
    name: spec.name,
    namespace: spec.namespace,
    chart: MINIO_CHART,
    podSecurity: "restricted",
    values: {
      image: { repository: mirror(cluster, "quay.io/minio/minio") },
      mcImage: { repository: mirror(cluster, "quay.io/minio/mc") },
      mode: "distributed",
      replicas: 4,
      persistence: { enabled: true, size: spec.size },
      existingSecret: `${spec.name}-root`,
      buckets: spec.buckets.map((name) => ({ name, policy: "none", purge: false, versioning: true })),
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
      securityContext: { enabled: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
    },
  });
  for (const { bucket, endpoint } of spec.mirrors) {
    const target = cluster.externalEndpoints[endpoint];
    if (!target)
      throw new Error(`object store ${spec.name}: endpoint "${endpoint}" is not defined for ${cluster.name}`);
    const name = `mirror-${bucket}`;
    const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": spec.name };
    addModel(
      store,
      new CronJob({
        metadata: { name, namespace: spec.namespace, labels },
        spec: {
          schedule: "*/15 * * * *",
          concurrencyPolicy: "Forbid",
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              template: {
                metadata: { labels },
                spec: {
                  restartPolicy: "Never",
                  automountServiceAccountToken: false,
                  securityContext: {
                    runAsNonRoot: true,
                    runAsUser: 10001,
                    seccompProfile: { type: "RuntimeDefault" },
                  },
                  containers: [
                    {
                      name: "mirror",
                      image: mirror(cluster, MC_IMAGE),
                      // One way, this bucket only: `local` and `cloud` aliases come from the credentials Secret.
                      args: ["mirror", "--overwrite", "--remove", `local/${bucket}`, `cloud/${bucket}`],
                      envFrom: [{ secretRef: { name: `${name}-aliases` } }],
                      resources: {
                        requests: { cpu: "100m", memory: "128Mi" },
                        limits: { cpu: "500m", memory: "512Mi" },
                      },
                      securityContext: {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      }),
    );
    addModel(
      store,
      new NetworkPolicy({
        metadata: { name: `${name}-egress`, namespace: spec.namespace },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Egress"],
          egress: [
            { to: [{ ipBlock: { cidr: target.cidr } }], ports: [{ protocol: "TCP", port: target.port }] },
            {
              to: [{ podSelector: { matchLabels: { app: "minio" } } }],
              ports: [{ protocol: "TCP", port: 9000 }],
            },
          ],
        },
      }),
    );
  }
};
