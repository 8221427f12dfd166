import { Construct } from "constructs";
import { CronJob } from "kubernetes-models/batch/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { mirror } from "../images.ts";
import type { Placement } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";
import { OBJECT_STORE } from "../platform.ts";

export const MC_IMAGE = "docker.io/minio/mc:RELEASE.2025-08-13T08-35-41Z";

/**
 * Fills a workload's model volume from the datacenter's object store (bucket `models`, prefix
 * `<workload>/`), hourly: the only way model files arrive. No pod on the cluster pulls from the
 * internet; new models are uploaded to the bucket from inside the datacenter.
 */
export class ModelSync extends Construct {
  constructor(scope: Construct, placement: Placement, claim: string) {
    super(scope, "model-sync");
    const { workload, namespace, cluster } = placement;
    const name = `${workload.name}-model-sync`;
    const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": workload.group };
    addModel(
      this,
      new CronJob({
        metadata: { name, namespace, labels },
        spec: {
          schedule: "17 * * * *",
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
                      name: "sync",
                      image: mirror(cluster, MC_IMAGE),
                      args: ["mirror", "--overwrite", `store/models/${workload.name}/`, "/models/"],
                      env: [
                        {
                          name: "MC_HOST_store",
                          valueFrom: { secretKeyRef: { name: "models-reader", key: "url" } },
                        },
                      ],
                      resources: {
                        requests: { cpu: "100m", memory: "256Mi" },
                        limits: { cpu: "1", memory: "1Gi" },
                      },
                      volumeMounts: [
                        { name: "models", mountPath: "/models" },
                        { name: "tmp", mountPath: "/tmp" },
                      ],
                      securityContext: {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                      },
                    },
                  ],
                  volumes: [
                    { name: "models", persistentVolumeClaim: { claimName: claim } },
                    { name: "tmp", emptyDir: {} },
                  ],
                },
              },
            },
          },
        },
      }),
    );
    addModel(
      this,
      new NetworkPolicy({
        metadata: { name: `${name}-to-object-store`, namespace },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: {
                    matchLabels: { "kubernetes.io/metadata.name": OBJECT_STORE.namespace },
                  },
                  podSelector: { matchLabels: { ...OBJECT_STORE.podLabels } },
                },
              ],
              ports: [{ protocol: "TCP", port: OBJECT_STORE.port }],
            },
          ],
        },
      }),
    );
  }
}
