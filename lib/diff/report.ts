import { stringify } from "yaml";
import type { FieldChange } from "./fields.ts";
import type { EstateDiff } from "./index.ts";
import { type DiffObject, describeObject } from "./objects.ts";
import type { ObjectChange } from "./risks.ts";

const SIGN = { added: "+", removed: "-", changed: "~" } as const;
const ICON = { critical: "🔴", high: "🟠", medium: "🟡" } as const;

const objectOf = (c: ObjectChange) => (c.after ?? c.before) as DiffObject;

function value(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function fieldLines(f: FieldChange): string[] {
  if (f.lines) return [`${f.path}:`, ...f.lines.map((l) => `  ${l}`)];
  if (f.change === "added") return [`+ ${f.path}: ${value(f.after)}`];
  if (f.change === "removed") return [`- ${f.path}: ${value(f.before)}`];
  return [`~ ${f.path}:`, `-   ${value(f.before)}`, `+   ${value(f.after)}`];
}

function bodyLines(c: ObjectChange): string[] {
  if (c.change === "changed") return c.fields.flatMap(fieldLines);
  const sign = c.change === "added" ? "+" : "-";
  return stringify(objectOf(c).manifest, { lineWidth: 0 })
    .trimEnd()
    .split("\n")
    .map((l) => `${sign} ${l}`);
}

/** Changes grouped per cluster, then per Flux Kustomization, in a stable order. */
function grouped(diff: EstateDiff): Map<string, Map<string, ObjectChange[]>> {
  const groups = new Map<string, Map<string, ObjectChange[]>>();
  for (const c of diff.changes) {
    const o = objectOf(c);
    const byKs = groups.get(o.cluster) ?? new Map<string, ObjectChange[]>();
    byKs.set(o.kustomization, [...(byKs.get(o.kustomization) ?? []), c]);
    groups.set(o.cluster, byKs);
  }
  // The same cluster order as the summary (sorted by name), and Kustomizations in their name order.
  const byName = <V>(m: Map<string, V>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return byName(new Map([...groups].map(([cluster, byKs]) => [cluster, byName(byKs)])));
}

function summaryLine(s: { cluster: string; added: number; changed: number; removed: number }): string {
  return `${s.cluster}: ${s.added} added, ${s.changed} changed, ${s.removed} removed`;
}

export function renderText(diff: EstateDiff): string {
  if (diff.changes.length === 0 && diff.risks.length === 0) return "no changes\n";
  const out: string[] = [];
  if (diff.risks.length) {
    out.push(`RISKS (${diff.risks.length})`);
    for (const r of diff.risks)
      out.push(`  [${r.severity}] ${r.rule}: ${r.cluster} ${r.object}: ${r.message}`);
    out.push("");
  }
  for (const s of diff.clusters) out.push(summaryLine(s));
  for (const [cluster, byKs] of grouped(diff)) {
    out.push("", `=== cluster ${cluster}`);
    for (const [ks, changes] of byKs) {
      out.push(`--- Kustomization ${ks}`);
      for (const c of changes) {
        out.push(`${SIGN[c.change]} ${describeObject(objectOf(c))}`);
        out.push(...bodyLines(c).map((l) => `    ${l}`));
      }
    }
  }
  return `${out.join("\n")}\n`;
}

/**
 * Markdown for a Gitea PR comment: risks first, a summary per cluster, details in collapsible
 * sections. Past `cap` characters the details are cut (never the risks or summary) and the comment
 * says how many objects were left out.
 */
export function renderMarkdown(diff: EstateDiff, cap = 60_000): string {
  if (diff.changes.length === 0 && diff.risks.length === 0) return "### Rendered diff\n\nno changes\n";
  const head: string[] = ["### Rendered diff", ""];
  if (diff.risks.length) {
    head.push(`#### ⚠️ Risks (${diff.risks.length})`, "");
    for (const r of diff.risks)
      head.push(`- ${ICON[r.severity]} **${r.rule}** \`${r.cluster}\` \`${r.object}\`: ${r.message}`);
    head.push("");
  }
  head.push("| cluster | added | changed | removed |", "|---|---|---|---|");
  for (const s of diff.clusters) head.push(`| \`${s.cluster}\` | ${s.added} | ${s.changed} | ${s.removed} |`);
  head.push("");

  let text = `${head.join("\n")}\n`;
  let omitted = 0;
  for (const [cluster, byKs] of grouped(diff)) {
    let section = `<details><summary><b>${cluster}</b></summary>\n\n`;
    for (const [ks, changes] of byKs) {
      section += `**Kustomization \`${ks}\`**\n\n`;
      for (const c of changes) {
        const block = `<details><summary>${SIGN[c.change]} <code>${describeObject(objectOf(c))}</code></summary>\n\n\`\`\`diff\n${bodyLines(c).join("\n")}\n\`\`\`\n</details>\n\n`;
        if (text.length + section.length + block.length > cap) {
          omitted++;
          continue;
        }
        section += block;
      }
    }
    text += `${section}</details>\n\n`;
  }
  if (omitted > 0) {
    text += `> Cut to ${cap} characters: the details of ${omitted} object(s) were left out. Risks and the summary above are complete; run \`npm run diff\` for everything.\n`;
  }
  return text;
}
