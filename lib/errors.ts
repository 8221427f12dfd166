import type { RuleId } from "./rule-registry.ts";
/** Where a problem is, in the user's terms. Every field that is known is named in the message. */
export interface ProblemLocation {
  readonly file?: string;
  readonly cluster?: string;
  readonly workload?: string;
  readonly field?: string;
  readonly rule?: RuleId;
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
    // Each problem once, even when several environments or rules arrive at the same words.
    super([...new Set(problems.map(formatProblem))].join("\n"));
    this.name = "EstateError";
  }
}

/** What a file-system error means for the user; undefined for anything that is a bug. */
export function fileSystemMessage(error: NodeJS.ErrnoException): string | undefined {
  const where = error.path ? ` (${error.path})` : "";
  switch (error.code) {
    case "EROFS":
    case "EACCES":
    case "EPERM":
      return `cannot write${where}: the file system refuses it (${error.code}); check the permissions of the repository`;
    case "ENOSPC":
    case "EDQUOT":
      return `cannot write${where}: the disk is full (${error.code})`;
    case "EBUSY":
    case "EXDEV":
      return `cannot replace${where}: it is a mount point or on another file system (${error.code}); synth swaps dist/ as a whole, so dist/ must be a plain folder of the repository`;
    default:
      return undefined;
  }
}
