/**
 * A PromQL expression read as far as the proof needs: balanced brackets, range durations that
 * parse, functions PromQL has, and the metric names it selects. Not a full parser: an expression
 * that passes may still fail in Prometheus (operator placement, types); one that fails here would
 * fail there too.
 */
const FUNCTIONS = new Set(
  (
    "abs absent absent_over_time avg_over_time ceil changes clamp clamp_max clamp_min count_over_time " +
    "day_of_month day_of_week days_in_month delta deriv exp floor histogram_quantile holt_winters hour " +
    "idelta increase irate label_join label_replace last_over_time ln log10 log2 max_over_time " +
    "min_over_time minute month predict_linear present_over_time quantile_over_time rate resets round " +
    "scalar sgn sort sort_desc sqrt stddev_over_time stdvar_over_time sum_over_time time timestamp vector year"
  ).split(" "),
);
const AGGREGATIONS = new Set(
  "sum min max avg group stddev stdvar count count_values bottomk topk quantile".split(" "),
);
const KEYWORDS = new Set(
  "by without on ignoring group_left group_right bool offset and or unless inf nan".split(" "),
);
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+(:(\d+(ms|s|m|h|d|w|y))+)?$/;

export interface PromqlReading {
  readonly problems: readonly string[];
  /** The metric names the expression selects. */
  readonly metrics: readonly string[];
}

export function readPromql(expr: string): PromqlReading {
  const problems: string[] = [];
  // Strings first: nothing inside one is syntax.
  const text = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const open: string[] = [];
  for (const ch of text) {
    if ("([{".includes(ch)) open.push(ch);
    else if (")]}".includes(ch) && open.pop() !== { ")": "(", "]": "[", "}": "{" }[ch])
      return { problems: [`unbalanced "${ch}"`], metrics: [] };
  }
  if (open.length) return { problems: [`unclosed "${open.at(-1)}"`], metrics: [] };
  for (const [, range] of text.matchAll(/\[([^\]]*)\]/g))
    if (!DURATION.test((range ?? "").trim())) problems.push(`"[${range}]" is not a range duration`);
  // Label matchers, grouping label lists and ranges name no metric.
  const bare = text
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " $1 ")
    .replace(/\[[^\]]*\]/g, " ");
  const metrics: string[] = [];
  // A word that starts inside a number (`5m` of an offset, `1e3`) is part of that number.
  for (const match of bare.matchAll(/(?<![0-9.])[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    if (KEYWORDS.has(word)) continue;
    const called = /^\s*\(/.test(bare.slice((match.index ?? 0) + word.length));
    if (called) {
      if (!FUNCTIONS.has(word) && !AGGREGATIONS.has(word)) problems.push(`"${word}" is no PromQL function`);
    } else if (!AGGREGATIONS.has(word)) metrics.push(word);
  }
  return { problems, metrics: [...new Set(metrics)] };
}
