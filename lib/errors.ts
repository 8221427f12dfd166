/** Where a problem is, in the user's terms. Every field that is known is named in the message. */
export interface ProblemLocation {
  readonly file?: string;
  readonly cluster?: string;
  readonly workload?: string;
  readonly field?: string;
  readonly rule?: string;
}

export interface Problem extends ProblemLocation {
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  const where = [
    p.file,
    p.cluster && `cluster "${p.cluster}"`,
    p.workload && `workload "${p.workload}"`,
    p.field && `field "${p.field}"`,
    p.rule && `rule ${p.rule}`,
  ].filter(Boolean);
  return `${where.join(": ")}${where.length ? ": " : ""}${p.message}`;
}

/** A bad input: synth stops, prints every problem and leaves dist/ untouched. */
export class EstateError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "EstateError";
  }
}
