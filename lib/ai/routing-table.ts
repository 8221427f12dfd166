import type { DataLevel } from "../inventory/workload-schema.ts";

/** Where the Druppie router may send a prompt. */
export type ModelTarget = "internal" | "external";

export interface RoutingRule {
  readonly dataLevel: DataLevel;
  /** Run the anonymiser first; only then may the prompt leave for `route`. */
  readonly anonymise: boolean;
  readonly route: ModelTarget;
  /** Where to go when anonymising fails or the external model is unavailable. */
  readonly fallback?: ModelTarget;
}

/**
 * The decision table of the design, defined once: high -> internal model; medium -> anonymise, then
 * external if possible, else internal; low -> external. Rendered as the router's configuration, and
 * the network rules are derived from it: the router may reach the external endpoint only because
 * some rule routes there.
 */
export const ROUTING_TABLE: readonly RoutingRule[] = [
  { dataLevel: "high", anonymise: false, route: "internal" },
  { dataLevel: "medium", anonymise: true, route: "external", fallback: "internal" },
  { dataLevel: "low", anonymise: false, route: "external", fallback: "internal" },
];

export function routesExternally(table: readonly RoutingRule[]): boolean {
  return table.some((r) => r.route === "external" || r.fallback === "external");
}

/** The router's `routing.json`: the table, with unclassified prompts treated as high. */
export function routingConfig(table: readonly RoutingRule[] = ROUTING_TABLE): string {
  return `${JSON.stringify({ version: 1, unclassified: "high", rules: table }, null, 2)}\n`;
}
