/** Flags shared by several commands, declared once. */
import { InvalidArgumentError, Option } from "commander";
import type { Command } from "commander";
import type { DefinitionLimits, ResolvedDefinitionLimits } from "../../definition/limits.js";
import { resolveDefinitionLimits } from "../../definition/limits.js";
import { OUTPUT_FORMATS } from "../output.js";

export type GlobalOptions = Partial<Record<keyof DefinitionLimits, number>>;

export function formatOption(): Option {
  return new Option("--format <format>", "output format").choices(OUTPUT_FORMATS).default("text");
}

export function handlersOption(): Option {
  return new Option(
    "--handlers <names>",
    "comma-separated handler names the project registers; unknown handlers become errors",
  ).argParser((value: string) =>
    value
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

export function parseCount(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${flag} needs a whole number, got "${value}"`);
    return n;
  };
}

const LIMIT_FLAGS: [keyof DefinitionLimits, string, string][] = [
  ["maxBytes", "--max-bytes <n>", "largest charter file in bytes (default 4194304)"],
  ["maxDepth", "--max-depth <n>", "deepest nesting (default 64)"],
  ["maxAliases", "--max-aliases <n>", "most YAML alias expansions (default 100)"],
  ["maxSteps", "--max-steps <n>", "most steps in a charter (default 10000)"],
  ["maxExpressionLength", "--max-expression-length <n>", "longest expression in characters (default 4096)"],
];

/** The definition limits as flags, on every command that reads charters (lint, docs, deploy). */
export function limitOptions(command: Command): Command {
  for (const [, flags, description] of LIMIT_FLAGS) {
    command.addOption(new Option(flags, description).argParser(parseCount(flags.split(" ")[0]!)));
  }
  return command;
}

export function resolveLimitsFromFlags(flags: GlobalOptions): ResolvedDefinitionLimits {
  const limits: DefinitionLimits = {};
  for (const [key] of LIMIT_FLAGS) if (flags[key] !== undefined) limits[key] = flags[key];
  return resolveDefinitionLimits(limits);
}

/** `--store` and `--config`, on every command that opens the store. */
export interface StoreFlags {
  store?: string;
  config?: string;
}

export function storeOptions(command: Command): Command {
  return command
    .option(
      "--store <spec>",
      "the store: sqlite:PATH or postgres://USER@HOST:PORT/DB[?schema=NAME] (default: CHARTER_STORE, then the config's store, then sqlite:.charter/charter.db)",
    )
    .option("--config <file>", "the project config (default: the nearest charter.config.json)");
}

export function jsonOption(description = "print JSON instead of a table"): Option {
  return new Option("--json", description);
}

export interface PageFlags {
  after?: string;
  limit?: number;
}

/** `--after` and `--limit` for listings that page. */
export function pageOptions(command: Command): Command {
  return command
    .option("--after <cursor>", "continue after this cursor (printed at the end of the previous page)")
    .option("--limit <n>", "at most n items (default 50, at most 500)", parseCount("--limit"));
}

/** The store flags as given, to repeat in a printed command (`--store sqlite:x.db`). */
export function storeArgs(flags: StoreFlags): string[] {
  const args: string[] = [];
  if (flags.store !== undefined) args.push("--store", flags.store);
  if (flags.config !== undefined) args.push("--config", flags.config);
  return args;
}
