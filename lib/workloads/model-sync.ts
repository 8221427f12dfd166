import type { Construct } from "constructs";
import type { Placement } from "../inventory/model.ts";
import { McCronJob } from "../k8s/mc-cron-job.ts";

/**
 * Fills a workload's model volume from the datacenter's object store (bucket `models`, prefix
 * `<workload>/`), hourly: the only way model files arrive. No pod on the cluster pulls from the
 * internet; new models are uploaded to the bucket from inside the datacenter.
 */
export function modelSync(scope: Construct, placement: Placement, claim: string): McCronJob {
  const { workload, namespace, cluster } = placement;
  return new McCronJob(scope, cluster, {
    name: `${workload.name}-model-sync`,
    namespace,
    partOf: workload.group,
    schedule: "17 * * * *",
    args: ["mirror", "--overwrite", `store/models/${workload.name}/`, "/models/"],
    env: [{ name: "MC_HOST_store", valueFrom: { secretKeyRef: { name: "models-reader", key: "url" } } }],
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    claims: [{ name: "models", claim, mountPath: "/models" }],
  });
}
