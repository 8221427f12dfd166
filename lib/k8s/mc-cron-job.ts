import { Construct } from "constructs";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import type { IIoK8sApiCoreV1EnvFromSource } from "kubernetes-models/v1/EnvFromSource";
import type { IIoK8sApiCoreV1EnvVar } from "kubernetes-models/v1/EnvVar";
import { mirror } from "../images.ts";
import type { Cluster } from "../inventory/model.ts";
import { addModel } from "./model-object.ts";

/** The MinIO client, mirrored like every image; used to copy buckets and to fill model volumes. */
export const MC_IMAGE = "docker.io/minio/mc:RELEASE.2025-08-13T08-35-41Z";

export interface McCronJobProps {
  readonly name: string;
  readonly namespace: string;
  readonly partOf: string;
  readonly schedule: string;
  /** `mc` arguments, e.g. `["mirror", "--overwrite", "src/", "dst/"]`. */
  readonly args: readonly string[];
  readonly env?: readonly IIoK8sApiCoreV1EnvVar[];
  readonly envFrom?: readonly IIoK8sApiCoreV1EnvFromSource[];
  readonly resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  /** PersistentVolumeClaims to mount read-write. */
  readonly claims?: readonly { name: string; claim: string; mountPath: string }[];
}

/**
 * A scheduled `mc` run that passes the cluster's policies: restricted security context, requests and
 * limits, a pinned image from the organisation's registry, a writable /tmp (mc keeps its config
 * there) on a read-only root. Its connections are declared in lib/connections/ like every other.
 */
export class McCronJob extends Construct {
  constructor(scope: Construct, cluster: Cluster, props: McCronJobProps) {
    super(scope, props.name);
    const labels = { "app.kubernetes.io/name": props.name, "app.kubernetes.io/part-of": props.partOf };
    const claims = props.claims ?? [];
    addModel(
      this,
      new CronJob({
        metadata: { name: props.name, namespace: props.namespace, labels },
        spec: {
          schedule: props.schedule,
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
                    fsGroup: 10001,
                    seccompProfile: { type: "RuntimeDefault" },
                  },
                  containers: [
                    {
                      name: "mc",
                      image: mirror(cluster, MC_IMAGE),
                      args: [...props.args],
                      env: [{ name: "MC_CONFIG_DIR", value: "/tmp/.mc" }, ...(props.env ?? [])],
                      ...(props.envFrom ? { envFrom: [...props.envFrom] } : {}),
                      resources: props.resources,
                      volumeMounts: [
                        { name: "tmp", mountPath: "/tmp" },
                        ...claims.map((c) => ({ name: c.name, mountPath: c.mountPath })),
                      ],
                      securityContext: {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                      },
                    },
                  ],
                  volumes: [
                    { name: "tmp", emptyDir: {} },
                    ...claims.map((c) => ({ name: c.name, persistentVolumeClaim: { claimName: c.claim } })),
                  ],
                },
              },
            },
          },
        },
      }),
    );
  }
}
