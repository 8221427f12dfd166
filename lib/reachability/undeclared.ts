import type { Connection } from "../inventory/connection.ts";
import { cidrWithin } from "../network/cidr.ts";
import { peerMatches } from "./pods.ts";
import type { ClusterPolicies, Direction, PodView } from "./policies.ts";

const ANYWHERE = "0.0.0.0/0";

/**
 * Rules that let a pod exchange traffic with addresses outside the pod network (ipBlocks, or no
 * peer restriction at all) where no declared connection covers the range and port.
 */
export function undeclaredAddressRules(
  policies: ClusterPolicies,
  pods: readonly PodView[],
  connections: readonly Connection[],
): string[] {
  const found: string[] = [];
  for (const pod of pods)
    for (const direction of ["Egress", "Ingress"] as Direction[])
      for (const policy of policies.selecting(pod, direction))
        for (const rule of direction === "Egress" ? policy.egress : policy.ingress) {
          const peers = (direction === "Egress" ? rule.to : rule.from) ?? [];
          const ranges =
            peers.length === 0 ? [ANYWHERE] : peers.flatMap((p) => (p.ipBlock ? [p.ipBlock.cidr] : []));
          for (const range of ranges) {
            const ports = rule.ports?.length ? rule.ports : [{ port: undefined, protocol: "TCP" }];
            for (const p of ports) {
              const port = typeof p.port === "number" ? p.port : undefined;
              const protocol = p.protocol ?? "TCP";
              if (covered(connections, pod, direction, range, port, protocol)) continue;
              const what = `${port ?? "any port"}/${protocol}`;
              found.push(
                direction === "Egress"
                  ? `${pod.namespace}/${pod.name} may reach ${range} on ${what} (NetworkPolicy ${policy.name})`
                  : `${range} may reach ${pod.namespace}/${pod.name} on ${what} (NetworkPolicy ${policy.name})`,
              );
            }
          }
        }
  return found;
}

function covered(
  connections: readonly Connection[],
  pod: PodView,
  direction: Direction,
  range: string,
  port: number | undefined,
  protocol: string,
): boolean {
  if (port === undefined) return false;
  return connections.some((c) => {
    const [own, other] = direction === "Egress" ? [c.from, c.to] : [c.to, c.from];
    return (
      peerMatches(own, pod) &&
      other.kind === "cidr" &&
      cidrWithin(range, other.cidr) &&
      c.ports.some((p) => p.port === port && p.protocol === protocol)
    );
  });
}
