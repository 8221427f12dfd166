import { selectorMatches } from "../admission/label-selector.ts";
import type { HydratedObject } from "../hydrate/index.ts";
import { podOf } from "../hydrate/pods.ts";
import type { MetricsEndpoint } from "../inventory/connection.ts";

type Spec = Record<string, any>;

/**
 * Every endpoint the agents scrape exists as rendered: a pod of the hydrated cluster in its
 * namespace, with its labels, declaring its port. A scrape of something that is not there (a
 * renamed label, a chart that moved its metrics port) is named, not silently empty.
 */
export function metricsEndpointProblems(
  cluster: string,
  endpoints: readonly MetricsEndpoint[],
  objects: readonly HydratedObject[],
): string[] {
  const pods = objects.flatMap((o) => {
    const pod = podOf(o.manifest) as Spec | undefined;
    return pod ? [pod] : [];
  });
  return endpoints
    .filter(
      (e) =>
        !pods.some(
          (pod) =>
            pod.metadata?.namespace === e.pods.namespace &&
            selectorMatches({ matchLabels: { ...e.pods.labels } }, pod.metadata?.labels ?? {}) &&
            ((pod.spec?.containers ?? []) as Spec[]).some((c) =>
              ((c.ports ?? []) as Spec[]).some((p) => Number(p.containerPort) === e.port),
            ),
        ),
    )
    .map(
      (e) =>
        `cluster "${cluster}": metrics: job ${e.job} scrapes ${e.pods.label}:${e.port}${e.path}, which no rendered pod exposes`,
    );
}
