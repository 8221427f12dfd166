import type { z } from "zod";
import type { Problem } from "../errors.ts";
import type { ClusterInputSchema } from "../inventory/schema.ts";

type ParsedCluster = z.output<typeof ClusterInputSchema>;

/**
 * Alerts go where their content may go: the receiver is an external endpoint of kind `notification`
 * that may hold high data (alert labels name workloads of every cluster, the datacenter's
 * included), on the cluster that runs the metrics store, by one means (a webhook or mail).
 */
export function alertingProblems(at: Omit<Problem, "message">, c: ParsedCluster): Problem[] {
  const alerting = c.alerting;
  if (!alerting) return [];
  const problems: Problem[] = [];
  const problem = (field: string, message: string) => problems.push({ ...at, field, message });
  if (!(c.hosts ?? []).includes("observability"))
    problem("alerting", "only the observability home runs the Alertmanager; alerting belongs in its file");
  if (Boolean(alerting.webhook) === Boolean(alerting.email))
    problem("alerting", "name one receiver: a webhook (path) or email (to, from)");
  const endpoint = c.externalEndpoints?.[alerting.endpoint];
  if (!endpoint)
    problem("alerting.endpoint", `"${alerting.endpoint}" is not one of the cluster's externalEndpoints`);
  else if (endpoint.kind !== "notification")
    problem("alerting.endpoint", `"${alerting.endpoint}" is of kind ${endpoint.kind}, not notification`);
  else if (endpoint.maxDataLevel !== "high")
    problem(
      "alerting.endpoint",
      `"${alerting.endpoint}" may receive ${endpoint.maxDataLevel} data; alerts carry labels of every cluster's workloads (high included), so it must be the authority's own (maxDataLevel high)`,
    );
  return problems;
}
