import { Size } from "cdk8s";
import * as kplus from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { Placement } from "../inventory/model.ts";
import { addModel } from "../k8s/model-object.ts";
import { quantity } from "../rules/resources.ts";
import { modelSync } from "./model-sync.ts";

/** Where model files are mounted for AI serving; the volume is filled from inside the datacenter. */
export const MODELS_PATH = "/models";
const MODEL_CACHE_PATH = "/cache";

/** Model servers write caches under $HOME and their own cache roots: all on the writable cache volume. */
export const MODEL_CACHE_ENV = Object.fromEntries(
  Object.entries({
    HOME: MODEL_CACHE_PATH,
    XDG_CACHE_HOME: MODEL_CACHE_PATH,
    VLLM_CACHE_ROOT: `${MODEL_CACHE_PATH}/vllm`,
    HF_HOME: `${MODEL_CACHE_PATH}/huggingface`,
  }).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)]),
);

export function memory(value: string): Size {
  return Size.mebibytes(Math.ceil(quantity(value) / 2 ** 20));
}

/**
 * A model server's volumes: the shared (ReadWriteMany) model volume, mounted read-only and kept
 * current by the hourly sync, a writable cache (kernels and caches compiled at start, on a read-only
 * root) and shared memory of the declared size.
 */
export function addModelVolume(
  scope: Construct,
  placement: Placement,
  container: kplus.Container,
  labels: Record<string, string>,
): void {
  const { workload, namespace } = placement;
  const models = workload.models;
  if (!models) return;
  const claim = `${workload.name}-models`;
  addModel(
    scope,
    new PersistentVolumeClaim({
      metadata: { name: claim, namespace, labels },
      spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: models.volumeSize } } },
    }),
  );
  modelSync(scope, placement, claim);
  const pvc = kplus.PersistentVolumeClaim.fromClaimName(scope, "models-ref", claim);
  container.mount(MODELS_PATH, kplus.Volume.fromPersistentVolumeClaim(scope, "models", pvc), {
    readOnly: true,
  });
  container.mount(
    MODEL_CACHE_PATH,
    kplus.Volume.fromEmptyDir(scope, "cache", "cache", { sizeLimit: Size.gibibytes(20) }),
  );
  container.mount(
    "/dev/shm",
    kplus.Volume.fromEmptyDir(scope, "shm", "shm", {
      medium: kplus.EmptyDirMedium.MEMORY,
      sizeLimit: memory(models.sharedMemory),
    }),
  );
}
