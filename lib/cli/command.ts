import { type ParseArgsConfig, parseArgs } from "node:util";

/**
 * The one convention every `npm run <command>` follows: `--help` prints usage, options and examples
 * and exits 0; an unknown flag, a missing or extra argument, or a value of the wrong type prints what
 * is wrong and the usage line and exits 2, without a stack trace. A command is a `main(argv, io)`
 * that returns its exit code, so tests call it in-process; `bin/run.mjs` calls it for a process.
 * This module imports nothing heavy, so a command can parse its arguments before it loads the estate.
 */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  /** How the value is written in the help, e.g. `<ref>`. */
  readonly value?: string;
  readonly description: string;
}

export interface CommandSpec {
  /** As typed after `npm run`, e.g. `diff`. */
  readonly name: string;
  /** Arguments after the options, e.g. `<workload>`. */
  readonly usage: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly positionals?: { readonly min: number; readonly max: number };
  readonly examples: readonly string[];
}

export interface ParsedCommand {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: readonly string[];
}

/** Where a command reads and writes: the user's directory and terminal, or a test's capture. */
export interface CommandIO {
  /** The directory the command was started in; the repository is found from here. */
  readonly cwd: string;
  /** One line to standard output. */
  log(line: string): void;
  /** One line to standard error. */
  error(line: string): void;
  /** Text to standard output as it is (a report that ends in its own newline). */
  write(text: string): void;
}

/** A command: its arguments (after `npm run <name> --`) in, its exit code out. */
export type CommandMain = (argv: readonly string[], io: CommandIO) => Promise<number>;

/** A mistake in how the command was called: exit 2 with the usage line. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function usageLine(spec: CommandSpec): string {
  const flags = Object.entries(spec.options)
    .map(([name, o]) => `[--${name}${o.value ? ` ${o.value}` : ""}]${o.multiple ? "..." : ""}`)
    .join(" ");
  return `usage: npm run ${spec.name} --${spec.usage ? ` ${spec.usage}` : ""}${flags ? ` ${flags}` : ""}`;
}

export function helpText(spec: CommandSpec): string {
  const rows = [
    ...Object.entries(spec.options),
    ["help", { type: "boolean", description: "show this help" }],
  ] as [string, OptionSpec][];
  const labels = rows.map(([name, o]) => `--${name}${o.value ? ` ${o.value}` : ""}`);
  const width = Math.max(...labels.map((l) => l.length));
  return [
    usageLine(spec),
    "",
    spec.summary,
    "",
    "options:",
    ...rows.map(([, o], i) => `  ${(labels[i] as string).padEnd(width)}  ${o.description}`),
    "",
    "examples:",
    ...spec.examples.map((e) => `  ${e}`),
  ].join("\n");
}

/** Stops the command with exit 2: `defineCommand` prints the message and the usage line. */
export function usageError(message: string): never {
  throw new UsageError(message);
}

/**
 * The command `run` behind the convention: `--help` and usage errors (also those `run` raises with
 * `usageError`) are answered here, so `run` sees only parsed, well-formed arguments.
 */
export function defineCommand(
  spec: CommandSpec,
  run: (parsed: ParsedCommand, io: CommandIO) => Promise<number>,
): CommandMain {
  return async (argv, io) => {
    try {
      const parsed = parseCommand(spec, argv);
      if (parsed === "help") {
        io.log(helpText(spec));
        return 0;
      }
      return await run(parsed, io);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.error(
        `${spec.name}: ${error.message}\n${usageLine(spec)}\n(npm run ${spec.name} -- --help for more)`,
      );
      return 2;
    }
  };
}

/** The arguments as the spec reads them, or "help" for `--help`; a mistake is a UsageError. */
export function parseCommand(spec: CommandSpec, args: readonly string[]): ParsedCommand | "help" {
  const options: NonNullable<ParseArgsConfig["options"]> = { help: { type: "boolean" } };
  for (const [name, o] of Object.entries(spec.options))
    options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    usageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  if (parsed.values.help) return "help";
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min) usageError(`expected ${spec.usage}`);
  if (parsed.positionals.length > max) usageError(`unexpected argument "${parsed.positionals[max]}"`);
  return { values: parsed.values as ParsedCommand["values"], positionals: parsed.positionals };
}

/** A whole number of at least `min`, or a usage error naming the option. */
export function integerOption(name: string, raw: unknown, min: number): number {
  const value = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || value < min)
    usageError(`--${name} must be a whole number of at least ${min}, not "${String(raw)}"`);
  return value;
}

/** One of the allowed words, or a usage error naming the option. */
export function choiceOption<T extends string>(name: string, raw: unknown, choices: readonly T[]): T {
  if (!choices.includes(raw as T))
    usageError(`--${name} must be one of ${choices.join(", ")}, not "${String(raw)}"`);
  return raw as T;
}
