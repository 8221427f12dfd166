/** A Kubernetes LabelSelector (metav1.LabelSelector). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function keyProblem(key: string): string | undefined {
  const [prefix, name] = key.includes("/") ? key.split("/", 2) : [undefined, key];
  if (!name || !NAME.test(name) || (prefix !== undefined && !PREFIX.test(prefix)))
    return `key "${key}" is not a valid label key`;
  return undefined;
}

/**
 * Why the API server would reject this selector (as apimachinery's ValidateLabelSelector does), or
 * nothing: `In`/`NotIn` need values, `Exists`/`DoesNotExist` take none, keys and values are labels.
 */
export function labelSelectorProblems(selector: LabelSelector | undefined): string[] {
  if (!selector) return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const bad = keyProblem(key);
    if (bad) problems.push(`matchLabels: ${bad}`);
    if (!VALUE.test(value))
      problems.push(`matchLabels: value "${value}" of "${key}" is not a valid label value`);
  }
  for (const expr of selector.matchExpressions ?? []) {
    const bad = keyProblem(expr.key);
    if (bad) problems.push(`matchExpressions: ${bad}`);
    const values = expr.values ?? [];
    if ((expr.operator === "In" || expr.operator === "NotIn") && values.length === 0)
      problems.push(`matchExpressions: "${expr.key}" ${expr.operator} needs at least one value`);
    else if ((expr.operator === "Exists" || expr.operator === "DoesNotExist") && values.length > 0)
      problems.push(`matchExpressions: "${expr.key}" ${expr.operator} must have no values`);
    else if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(expr.operator))
      problems.push(`matchExpressions: "${expr.operator}" is not a valid operator`);
    for (const v of values)
      if (!VALUE.test(v)) problems.push(`matchExpressions: "${v}" is not a valid label value`);
  }
  return problems;
}

/** Whether `labels` satisfy the selector; an absent selector matches everything, as in admission. */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!selector) return true;
  // Own properties only: `constructor` or `toString` are no label of any object.
  const label = (key: string) => (Object.hasOwn(labels, key) ? labels[key] : undefined);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (label(key) !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = label(key) !== undefined;
    const ok =
      operator === "In"
        ? has && values.includes(labels[key] as string)
        : operator === "NotIn"
          ? !has || !values.includes(labels[key] as string)
          : operator === "Exists"
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}
