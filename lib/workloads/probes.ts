import { Duration } from "cdk8s";
import * as kplus from "cdk8s-plus-28";
import type { Placement } from "../inventory/model.ts";

/**
 * A workload's readiness, liveness and startup probes: HTTP on its health path, else TCP on its
 * port. Slow starters (model loading) get a startup probe long enough; liveness begins after it.
 */
export function probes(p: Placement) {
  const { health, port } = p.workload;
  const probe = (options: { failureThreshold?: number; periodSeconds?: number }) =>
    health
      ? kplus.Probe.fromHttpGet(health.path, { port, ...withPeriod(options) })
      : kplus.Probe.fromTcpSocket({ port, ...withPeriod(options) });
  const startupSeconds = health?.startupSeconds ?? 60;
  return {
    readiness: probe({ failureThreshold: 3, periodSeconds: 10 }),
    liveness: probe({ failureThreshold: 3, periodSeconds: 20 }),
    startup: probe({ failureThreshold: Math.ceil(startupSeconds / 10), periodSeconds: 10 }),
  };
}

function withPeriod(o: { failureThreshold?: number; periodSeconds?: number }) {
  return {
    ...(o.failureThreshold ? { failureThreshold: o.failureThreshold } : {}),
    ...(o.periodSeconds ? { periodSeconds: Duration.seconds(o.periodSeconds) } : {}),
  };
}
