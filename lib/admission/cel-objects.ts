/**
 * Kyverno's mutations build typed objects: apply configurations (`Object{spec: Object.spec{…}}`,
 * the type names the API server's CEL environment gives an object's schema) and JSON patches
 * (`JSONPatch{op: …, path: …, value: …}`). This environment has no such types, so each construction
 * becomes the map literal with the same fields (`{"spec": {…}}`), which is what it means once
 * serialised. String literals are copied untouched; anything the
 * rewrite does not recognise is left as written, and the parser refuses it: "cannot prove".
 */
export function desugarObjectConstruction(expression: string): string {
  if (!/\b(Object|JSONPatch)\b/.test(expression)) return expression;
  let out = "";
  // Per open bracket: whether it opened an object construction (whose field names get quoted).
  const open: boolean[] = [];
  let i = 0;
  while (i < expression.length) {
    const rest = expression.slice(i);
    const ch = expression[i] as string;
    if (ch === '"' || ch === "'") {
      const end = stringEnd(expression, i);
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    const construction = /^(?:Object(?:\.[A-Za-z_][A-Za-z0-9_]*)*|JSONPatch)\s*\{/.exec(rest);
    if (construction && !/[A-Za-z0-9_.]/.test(expression[i - 1] ?? "")) {
      out += "{";
      open.push(true);
      i += construction[0].length;
      continue;
    }
    if ("{[(".includes(ch)) open.push(false);
    if ("}])".includes(ch)) open.pop();
    const field = open.at(-1) === true ? /^([A-Za-z_][A-Za-z0-9_]*)(\s*):/.exec(rest) : null;
    if (field && /[{,]\s*$/.test(out)) {
      out += `"${field[1]}"${field[2]}:`;
      i += field[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** The index just past the string literal that starts at `start` (its closing quote included). */
function stringEnd(expression: string, start: number): number {
  const quote = expression[start];
  let j = start + 1;
  while (j < expression.length && expression[j] !== quote) j += expression[j] === "\\" ? 2 : 1;
  return j + 1;
}
