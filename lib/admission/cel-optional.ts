/**
 * CEL's optional syntax (cel-go's OptionalTypes, which Kyverno enables) in the one shape policies use:
 * a field path with optional selections (`a.?b`, `m[?'k']`) ended by `.orValue(d)` or `.hasValue()`.
 * Once a selection is optional, the rest of the chain is too, so the chain is present when every
 * step from the first optional one is (`has()`, or `in` for a map key), and the rewrite is
 * `(present ? path : d)`, or `(present)`. Anything else with optional syntax is left as written, and
 * the parser refuses it: "cannot prove".
 */
const CHAIN =
  /([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)((?:\.\??[A-Za-z_][A-Za-z0-9_]*|\[\?'[^'\\]*'\])*)\.(orValue|hasValue)\(/g;

export function desugarOptionals(expression: string): string {
  if (!/\.\?|\[\?/.test(expression)) return expression;
  let out = "";
  let from = 0;
  for (const match of expression.matchAll(CHAIN)) {
    const [whole, base = "", steps = "", method = ""] = match;
    if (!/\.\?|\[\?/.test(steps) || match.index < from) continue;
    const open = match.index + whole.length; // just after "orValue(" / "hasValue("
    const close = closingParen(expression, open);
    if (close < 0) continue;
    const argument = expression.slice(open, close);
    if (method === "hasValue" && argument.trim() !== "") continue;
    const { path, present } = chain(base, steps);
    const rewritten =
      method === "hasValue" ? `(${present})` : `((${present}) ? ${path} : (${desugarOptionals(argument)}))`;
    out += expression.slice(from, match.index) + rewritten;
    from = close + 1;
  }
  return out + expression.slice(from);
}

/** The plain path and the presence test of a chain whose optional part starts at the first `.?` or `[?`. */
function chain(base: string, steps: string): { path: string; present: string } {
  const segments = [...steps.matchAll(/\.(\?)?([A-Za-z_][A-Za-z0-9_]*)|\[\?('[^'\\]*')\]/g)];
  let path = base;
  let optional = false;
  const checks: string[] = [];
  for (const [, mark, field, key] of segments) {
    optional ||= mark === "?" || key !== undefined;
    if (key !== undefined) {
      if (optional) checks.push(`${key} in ${path}`);
      path = `${path}[${key}]`;
    } else {
      if (optional) checks.push(`has(${path}.${field})`);
      path = `${path}.${field}`;
    }
  }
  return { path, present: checks.join(" && ") };
}

function closingParen(text: string, start: number): number {
  let depth = 1;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}
