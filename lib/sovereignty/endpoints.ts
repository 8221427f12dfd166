import type { Cluster } from "../inventory/model.ts";
import { type DataLevel, levelRank } from "../inventory/schema.ts";
import { addressesOverlap } from "../network/cidr.ts";

/** How an endpoint is judged: the strictest class of every endpoint, in any cluster, at its address. */
export interface EffectiveEndpointClass {
  readonly maxDataLevel: DataLevel;
  readonly languageModel: boolean;
  /** `cluster/endpoint` names under another name whose address it shares. */
  readonly sharedWith: readonly string[];
}

const rank = levelRank;

/**
 * Two names for one address are one endpoint: a second declaration of Azure OpenAI's range without
 * `kind: language-model` must not open it to medium data. Endpoints whose CIDRs overlap on the same
 * port, or that share a host name, are judged by the lowest `maxDataLevel` among them, and as a
 * language model when any of them is one.
 */
export function effectiveEndpointClass(
  clusters: readonly Cluster[],
  cluster: Cluster,
  name: string,
): EffectiveEndpointClass | undefined {
  const own = cluster.externalEndpoints[name];
  if (!own) return undefined;
  const same = clusters.flatMap((c) =>
    Object.entries(c.externalEndpoints)
      .filter(([, e]) => e.host === own.host || (e.port === own.port && addressesOverlap(e.cidr, own.cidr)))
      .map(([n, e]) => ({ at: `${c.name}/${n}`, e })),
  );
  const strictest = same.reduce(
    (low, { e }) => (rank(e.maxDataLevel) < rank(low) ? e.maxDataLevel : low),
    own.maxDataLevel,
  );
  return {
    maxDataLevel: strictest,
    languageModel: same.some(({ e }) => e.kind === "language-model"),
    // the same service declared under its own name in another cluster is no alias worth naming
    sharedWith: same.map((s) => s.at).filter((at) => at.split("/")[1] !== name),
  };
}
