import { type ParseArgsConfig, parseArgs } from "node:util";

/**
 * The one convention every `npm run <command>` follows: `--help` prints usage, options and examples
 * and exits 0; an unknown flag, a missing or extra argument, or a value of the wrong type prints what
 * is wrong and the usage line and exits 2, without a stack trace. This module imports nothing heavy,
 * so a command can parse its arguments before it loads the estate.
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

/** Stops with exit 2: what was wrong, then the usage line. */
export function usageError(spec: CommandSpec, message: string): never {
  console.error(`${spec.name}: ${message}\n${usageLine(spec)}\n(npm run ${spec.name} -- --help for more)`);
  process.exit(2);
}

export function parseCommand(
  spec: CommandSpec,
  args: readonly string[] = process.argv.slice(2),
): ParsedCommand {
  const options: NonNullable<ParseArgsConfig["options"]> = { help: { type: "boolean" } };
  for (const [name, o] of Object.entries(spec.options))
    options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    usageError(spec, (error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  if (parsed.values.help) {
    console.log(helpText(spec));
    process.exit(0);
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min) usageError(spec, `expected ${spec.usage}`);
  if (parsed.positionals.length > max) usageError(spec, `unexpected argument "${parsed.positionals[max]}"`);
  return { values: parsed.values as ParsedCommand["values"], positionals: parsed.positionals };
}

/** A whole number of at least `min`, or a usage error naming the option. */
export function integerOption(spec: CommandSpec, name: string, raw: unknown, min: number): number {
  const value = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || value < min)
    usageError(spec, `--${name} must be a whole number of at least ${min}, not "${String(raw)}"`);
  return value;
}

/** One of the allowed words, or a usage error naming the option. */
export function choiceOption<T extends string>(
  spec: CommandSpec,
  name: string,
  raw: unknown,
  choices: readonly T[],
): T {
  if (!choices.includes(raw as T))
    usageError(spec, `--${name} must be one of ${choices.join(", ")}, not "${String(raw)}"`);
  return raw as T;
}
