import type { HydratedObject } from "../hydrate/index.ts";
import { isSopsEncrypted } from "./encrypted.ts";
import { isPublicCaBundle } from "./public.ts";
import { secretReferences } from "./references.ts";
import { OUT_OF_BAND_SECRETS, operatorMadeSecrets } from "./sources.ts";

export interface SecretsReport {
  readonly problems: readonly string[];
  /** References by the source that satisfies them. */
  readonly sources: {
    readonly sops: number;
    readonly chart: number;
    readonly operator: number;
    readonly outOfBand: number;
  };
}

/**
 * Every Secret reference of a cluster's hydrated objects has a source: a SOPS-encrypted Secret in
 * dist/, a Secret a chart renders, one an operator makes, or one declared out of band with its owner.
 * A Secret in dist/ that is not SOPS-encrypted is refused (Git never holds a plaintext credential),
 * except a public CA bundle (lib/secrets/public.ts).
 */
export function checkSecrets(objects: readonly HydratedObject[]): SecretsReport {
  const problems: string[] = [];
  const sources = { sops: 0, chart: 0, operator: 0, outOfBand: 0 };
  const rendered = new Map<string, HydratedObject>();
  for (const o of objects) {
    if (o.manifest.kind !== "Secret") continue;
    const id = `${o.manifest.metadata?.namespace}/${o.manifest.metadata?.name}`;
    rendered.set(id, o);
    if (o.origin.startsWith("dist/") && !isSopsEncrypted(o.manifest) && !isPublicCaBundle(o.manifest))
      problems.push(
        `${o.origin}: Secret ${id} is plain text in Git; encrypt it with \`npm run secrets -- set\``,
      );
  }
  const made = operatorMadeSecrets(objects);
  for (const ref of secretReferences(objects)) {
    const id = `${ref.namespace}/${ref.name}`;
    const secret = rendered.get(id);
    if (secret) secret.origin.startsWith("dist/") ? sources.sops++ : sources.chart++;
    else if (made.has(id)) sources.operator++;
    else if (OUT_OF_BAND_SECRETS.some((s) => s.namespace === ref.namespace && s.name === ref.name))
      sources.outOfBand++;
    else
      problems.push(
        `${ref.origin}: ${ref.subject}: ${ref.field} references Secret ${id}, which nothing provides: add it with \`npm run secrets -- set\`, or declare it out of band (lib/secrets/sources.ts) with its owner`,
      );
  }
  return { problems, sources };
}
