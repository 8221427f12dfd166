/**
 * Enough of the S3/IAM policy language to judge a MinIO user policy: Allow and Deny statements with
 * `Action` and `Resource` lists and `*`/`?` wildcards, an explicit Deny winning. Anything else
 * (NotAction, NotResource, Condition, Principal, a statement without Resource) is not evaluated: the
 * verdict is "cannot prove", never an allow.
 */
export type Verdict = "allow" | "deny" | "cannot prove";

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly [key: string]: unknown;
}
export interface PolicyDocument {
  readonly Statement?: readonly Statement[];
}

const KNOWN = new Set(["Sid", "Effect", "Action", "Resource"]);

/**
 * MinIO's canned policies as its source defines them (iampolicy: ReadWrite, ReadOnly, WriteOnly);
 * any other built-in name (consoleAdmin, diagnostics) is not modelled: "cannot prove".
 */
export const CANNED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  readwrite: { Statement: [{ Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::*"] }] },
  readonly: {
    Statement: [
      { Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:GetObject"], Resource: ["arn:aws:s3:::*"] },
    ],
  },
  writeonly: { Statement: [{ Effect: "Allow", Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::*"] }] },
};

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, caseInsensitive ? "i" : "").test(value);
}

const list = (v: string | readonly string[] | undefined): readonly string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : v;

/** Whether the policy lets its holder do `action` on `resource`. */
export function evaluate(policy: PolicyDocument, action: string, resource: string): Verdict {
  let allowed = false;
  for (const statement of policy.Statement ?? []) {
    if (Object.keys(statement).some((k) => !KNOWN.has(k))) return "cannot prove";
    const actions = list(statement.Action);
    if (!actions.some((a) => glob(a, action, true))) continue;
    if (statement.Resource === undefined) {
      // admin:* and kms:* statements name no resource; an s3 one without Resource is not judged.
      if (action.startsWith("s3:")) return "cannot prove";
    } else if (!list(statement.Resource).some((r) => glob(r, resource, false))) continue;
    if (statement.Effect === "Deny") return "deny";
    if (statement.Effect === "Allow") allowed = true;
    else return "cannot prove";
  }
  return allowed ? "allow" : "deny";
}
