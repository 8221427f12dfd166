import { describe, expect, it } from "vitest";
import { admissionReport } from "../lib/admission/index.ts";
import type { HydratedObject } from "../lib/hydrate/index.ts";
import type { Manifest } from "../lib/k8s/model-object.ts";

/** A namespace's enforce-version label picks the checks as they stood at that Kubernetes minor. */
const namespace = (labels: Record<string, string>): HydratedObject => ({
  cluster: "fixture",
  origin: "dist/namespace.yaml",
  manifest: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team", labels } },
});
// Restricted except runAsUser: 0, which restricted forbids only from v1.23.
const rootPod: Manifest = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "app", namespace: "team" },
  spec: {
    securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "app",
        image: "registry.example/app:1.0.0",
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      },
    ],
  },
};
const judge = (labels: Record<string, string>) =>
  admissionReport([
    namespace(labels),
    { cluster: "fixture", origin: "dist/pod.yaml", manifest: rootPod },
  ]).denied.map((f) => `${f.rule}: ${f.message}`);
const RESTRICTED = "pod-security.kubernetes.io/enforce";
const VERSION = "pod-security.kubernetes.io/enforce-version";

describe("Pod Security at the namespace's enforce-version", () => {
  it("judges at latest (the cluster's minor) without a version, and at the pinned minor with one", () => {
    expect(judge({ [RESTRICTED]: "restricted" })).toEqual([
      "pod-security restricted v1.35: runAsUser=0 (pod)",
    ]);
    expect(judge({ [RESTRICTED]: "restricted", [VERSION]: "v1.22" })).toEqual([]);
    expect(judge({ [RESTRICTED]: "restricted", [VERSION]: "v1.23" })).toHaveLength(1);
  });

  it("evaluates a version newer than the cluster as the cluster's own", () => {
    expect(judge({ [RESTRICTED]: "restricted", [VERSION]: "v1.99" })).toEqual([
      "pod-security restricted v1.35: runAsUser=0 (pod)",
    ]);
  });

  it("refuses the Namespace with an invalid level or version, and judges its pods fail-closed", () => {
    const found = judge({ [RESTRICTED]: "strict", [VERSION]: "1.30" });
    expect(found).toContain(
      'pod-security labels: pod-security.kubernetes.io/enforce: must be one of privileged, baseline, restricted, not "strict"',
    );
    expect(found).toContain(
      'pod-security labels: pod-security.kubernetes.io/enforce-version: must be "latest" or "v1.x", not "1.30"',
    );
    expect(found).toContain("pod-security restricted v1.35: runAsUser=0 (pod)");
  });
});
