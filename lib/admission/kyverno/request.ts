import type { Manifest } from "../../k8s/model-object.ts";

export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
}

/** An admission request as the API server sends it to Kyverno (admission/v1 AdmissionRequest). */
export interface AdmissionRequest {
  readonly operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  readonly object: Manifest | null;
  readonly oldObject: Manifest | null;
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource: string;
  readonly namespace: string;
  readonly name: string;
  readonly userInfo: UserInfo;
}

/** Who creates an object of the estate: Flux applies what Git holds. */
export const FLUX_APPLIER: UserInfo = {
  username: "system:serviceaccount:flux-system:kustomize-controller",
  groups: ["system:serviceaccounts", "system:serviceaccounts:flux-system", "system:authenticated"],
};

/** The controller that creates the pods of a workload kind (kube-controller-manager's service accounts). */
const POD_CREATORS: Record<string, string> = {
  Deployment: "replicaset-controller",
  ReplicaSet: "replicaset-controller",
  StatefulSet: "statefulset-controller",
  DaemonSet: "daemon-set-controller",
  Job: "job-controller",
  CronJob: "job-controller",
};

/** The service account that creates the pods of a workload of this kind, Flux for a bare Pod. */
export function podCreator(ownerKind: string): UserInfo {
  const controller = POD_CREATORS[ownerKind];
  if (!controller) return FLUX_APPLIER;
  return {
    username: `system:serviceaccount:kube-system:${controller}`,
    groups: ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
  };
}

/**
 * The resource name of a kind, as apimachinery's UnsafeGuessKindToResource guesses it (what
 * discovery returns for every built-in kind and for CRDs that follow the convention).
 */
export function resourceOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith("s")) return `${lower}es`;
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The request that creates (or, with `oldObject`, updates) an object. */
export function requestFor(
  object: Manifest,
  userInfo: UserInfo = FLUX_APPLIER,
  oldObject: Manifest | null = null,
): AdmissionRequest {
  const apiVersion = String(object.apiVersion ?? "");
  const [group, version] = apiVersion.includes("/")
    ? (apiVersion.split("/") as [string, string])
    : ["", apiVersion];
  return {
    operation: oldObject ? "UPDATE" : "CREATE",
    object,
    oldObject,
    kind: { group, version, kind: object.kind },
    resource: { group, version, resource: resourceOf(object.kind) },
    subResource: "",
    namespace: object.metadata?.namespace ?? "",
    name: object.metadata?.name ?? "",
    userInfo,
  };
}

/** The `request` variable of Kyverno's CEL environment. */
export function requestBinding(request: AdmissionRequest): Record<string, unknown> {
  return {
    uid: "",
    kind: request.kind,
    resource: request.resource,
    subResource: request.subResource,
    requestKind: request.kind,
    requestResource: request.resource,
    requestSubResource: request.subResource,
    name: request.name,
    namespace: request.namespace,
    operation: request.operation,
    userInfo: request.userInfo,
    dryRun: false,
  };
}
