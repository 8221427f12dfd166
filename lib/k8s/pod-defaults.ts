/**
 * Values that make a chart's pods pass Pod Security `restricted` and the resources policy, shared by
 * the platform components (charts/) so each states only its sizes.
 */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export function resources(cpu: [string, string], memory: [string, string]): Resources {
  return { requests: { cpu: cpu[0], memory: memory[0] }, limits: { cpu: cpu[1], memory: memory[1] } };
}

/** Pod-level security context of a restricted pod, running as `uid` when given (else the image's user). */
export function restrictedPod(uid?: number) {
  return {
    runAsNonRoot: true,
    ...(uid === undefined ? {} : { runAsUser: uid, runAsGroup: uid, fsGroup: uid }),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Container-level security context that Pod Security `restricted` accepts. */
export function restrictedContainer(readOnlyRootFilesystem = true) {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** The same resources for a cdk8s-imported CRD binding, whose quantities are wrapper classes. */
export function typedResources<R, L>(
  value: Resources,
  request: (quantity: string) => R,
  limit: (quantity: string) => L,
): { requests: Record<string, R>; limits: Record<string, L> } {
  return {
    requests: { cpu: request(value.requests.cpu), memory: request(value.requests.memory) },
    limits: { cpu: limit(value.limits.cpu), memory: limit(value.limits.memory) },
  };
}
