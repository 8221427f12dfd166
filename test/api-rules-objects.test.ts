import { describe, expect, it } from "vitest";
import type { Manifest } from "../lib/k8s/model-object.ts";
import { quantity } from "../lib/rules/resources.ts";
import { cronProblem, objectApiProblems } from "../lib/synth/api-rules-objects.ts";

/** Fixture objects: what the API server refuses, refused before it gets there. */
const deployment = (containers: unknown[], initContainers: unknown[] = []): Manifest => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "app", namespace: "team" },
  spec: { template: { metadata: {}, spec: { containers, initContainers } } },
});

describe("the API server's validation, before the API server", () => {
  it("pods: duplicate containers, two mounts at one path, a probe with two handlers, a non-quantity", () => {
    const app = {
      name: "app",
      image: "x",
      volumeMounts: [
        { name: "a", mountPath: "/data" },
        { name: "b", mountPath: "/data" },
      ],
      livenessProbe: { httpGet: { path: "/", port: 80 }, tcpSocket: { port: 80 } },
      resources: { limits: { memory: "1 Gi" } },
    };
    expect(objectApiProblems(deployment([app], [{ name: "app", image: "y" }]))).toEqual([
      'container "app" is named twice in the pod',
      'container "app" mounts two volumes at /data',
      'container "app" livenessProbe has 2 handlers (httpGet, tcpSocket); exactly one',
      'container "app" limits.memory "1 Gi" is not a quantity',
    ]);
  });

  it("sizes, reserved keys, typed Secrets, empty volumes, cron schedules and route paths", () => {
    const big = "x".repeat(300 * 1024);
    expect(
      objectApiProblems({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "c", annotations: { a: big } },
        data: { "..data": big.repeat(4) },
      }),
    ).toEqual([
      `metadata.annotations total ${300 * 1024 + 1} bytes, over the API server's 262144`,
      `data is ${1200 * 1024} bytes; a ConfigMap holds at most 1048576`,
      'data key "..data" starts with "..", which a mounted volume reserves for itself',
    ]);
    expect(
      objectApiProblems({
        apiVersion: "v1",
        kind: "Secret",
        type: "kubernetes.io/tls",
        metadata: { name: "t" },
        stringData: { "tls.crt": "x" },
      } as Manifest),
    ).toEqual(["a kubernetes.io/tls Secret needs tls.key"]);
    expect(
      objectApiProblems({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "p" },
        spec: { resources: { requests: { storage: "0" } } },
      }),
    ).toEqual(['storage request "0" must be a quantity greater than zero']);
    expect(cronProblem("61 * * * *")).toBe('minute "61" is outside 0-59');
    expect(cronProblem("0 0 * *")).toBe("needs five fields (minute hour day-of-month month day-of-week)");
    expect(cronProblem("*/15 2-4 1,15 * 1-5")).toBeUndefined();
    expect(cronProblem("@hourly")).toBeUndefined();
    const route = (value: string): Manifest => ({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "r" },
      spec: { rules: [{ matches: [{ path: { type: "PathPrefix", value } }] }] },
    });
    expect(objectApiProblems(route("/api//x"))).toHaveLength(1);
    expect(objectApiProblems(route("/api/../admin"))).toHaveLength(1);
    expect(objectApiProblems(route("/api/v1"))).toEqual([]);
  });

  it("reads every quantity suffix the API server does", () => {
    expect(quantity("1Pi")).toBe(2 ** 50);
    expect(quantity("2E")).toBe(2e18);
    expect(quantity("1e3")).toBe(1000);
    expect(quantity("500u")).toBeCloseTo(0.0005);
    expect(() => quantity("1 Gi")).toThrow("not a quantity");
  });
});
