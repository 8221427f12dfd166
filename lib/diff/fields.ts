import { diffLines } from "diff";

/** One changed field, with a path a reviewer can read (`spec.template.spec.containers[app].image`). */
export interface FieldChange {
  readonly path: string;
  readonly change: "added" | "removed" | "changed";
  readonly before?: unknown;
  readonly after?: unknown;
  /** Multi-line strings (ConfigMap data, Helm values blocks) are diffed by line. */
  readonly lines?: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const named = (v: unknown): v is { name: string } => isObject(v) && typeof v.name === "string";

function join(path: string, key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}["${key}"]`;
}

function lineDiff(before: string, after: string): string[] {
  return diffLines(before, after).flatMap((part) => {
    const sign = part.added ? "+" : part.removed ? "-" : " ";
    const lines = part.value.replace(/\n$/, "").split("\n");
    // Unchanged stretches are shortened to what gives the change its context.
    if (sign === " " && lines.length > 4)
      return [` ${lines[0]}`, ` … ${lines.length - 2} unchanged lines`, ` ${lines.at(-1)}`];
    return lines.map((l) => `${sign}${l}`);
  });
}

/** Field-level differences between two manifests. Lists of named items are matched by name. */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (
    typeof before === "string" &&
    typeof after === "string" &&
    before !== after &&
    (before.includes("\n") || after.includes("\n"))
  ) {
    return [{ path, change: "changed", lines: lineDiff(before, after) }];
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const p = join(path, k);
      if (!(k in before)) return [{ path: p, change: "added" as const, after: after[k] }];
      if (!(k in after)) return [{ path: p, change: "removed" as const, before: before[k] }];
      return fieldChanges(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.every(named) && after.every(named) && before.length + after.length > 0) {
      const byName = (list: { name: string }[]) => new Map(list.map((i) => [i.name, i]));
      const a = byName(before);
      const b = byName(after);
      const names = [...new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((n) => {
        const p = `${path}[${n}]`;
        if (!a.has(n)) return [{ path: p, change: "added" as const, after: b.get(n) }];
        if (!b.has(n)) return [{ path: p, change: "removed" as const, before: a.get(n) }];
        return fieldChanges(a.get(n), b.get(n), p);
      });
    }
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => {
      const p = `${path}[${i}]`;
      if (i >= before.length) return [{ path: p, change: "added" as const, after: after[i] }];
      if (i >= after.length) return [{ path: p, change: "removed" as const, before: before[i] }];
      return fieldChanges(before[i], after[i], p);
    }).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, change: "changed", before, after }];
}
