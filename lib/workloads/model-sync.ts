import type { Construct } from "constructs";
import { mirror } from "../images.ts";
import type { Placement } from "../inventory/model.ts";
import { MC_IMAGE, McCronJob } from "../k8s/mc-cron-job.ts";

/**
 * Fills a workload's model volume from the datacenter's object store (bucket `models`, prefix
 * `<workload>/`), hourly: the only way model files arrive. No pod on the cluster pulls from the
 * internet; new models are uploaded to the bucket from inside the datacenter.
 */
const mirrorArgs = (workload: string) => ["mirror", "--overwrite", `store/models/${workload}/`, "/models/"];
const READER_URL = {
  name: "MC_HOST_store",
  valueFrom: { secretKeyRef: { name: "models-reader", key: "url" } },
};
const MC_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };

export function modelSync(scope: Construct, placement: Placement, claim: string): McCronJob {
  const { workload, namespace, cluster } = placement;
  return new McCronJob(scope, cluster, {
    name: `${workload.name}-model-sync`,
    namespace,
    partOf: workload.group,
    schedule: "17 * * * *",
    args: mirrorArgs(workload.name),
    env: [READER_URL],
    resources: MC_RESOURCES,
    claims: [{ name: "models", claim, mountPath: "/models" }],
  });
}

/** The emptyDir the fill container keeps mc's configuration in (a read-only root otherwise). */
export const FILL_TMP_VOLUME = "fill-models-tmp";

/**
 * The same mirror, once, before the model server starts: the first pod never finds an empty volume
 * (the hourly sync only keeps it current). Runs as the pod's user with the restricted context.
 */
export function modelFillContainer(placement: Placement, modelsVolume: string) {
  return {
    name: "fill-models",
    image: mirror(placement.cluster, MC_IMAGE),
    args: mirrorArgs(placement.workload.name),
    env: [{ name: "MC_CONFIG_DIR", value: "/tmp/.mc" }, READER_URL],
    resources: MC_RESOURCES,
    volumeMounts: [
      { name: FILL_TMP_VOLUME, mountPath: "/tmp" },
      { name: modelsVolume, mountPath: "/models" },
    ],
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}
