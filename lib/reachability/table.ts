import type { ClusterReachability } from "./index.ts";

/** The proven connections of each cluster as a Markdown table, for review (`npm run validate -- --flows`). */
export function flowsTable(clusters: readonly ClusterReachability[]): string {
  const out: string[] = [];
  for (const { cluster, flows } of clusters) {
    out.push(`## ${cluster}: ${flows.length} allowed connections`, "");
    out.push("| from | to | port | connection |", "|---|---|---|---|");
    for (const f of flows) out.push(`| ${f.from} | ${f.to} | ${f.port} | ${f.connection} |`);
    out.push("");
  }
  return out.join("\n");
}
