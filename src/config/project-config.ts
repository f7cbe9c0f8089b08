/**
 * The project config, `charter.config.json`: where the store is, which module registers the
 * handlers, which directory file lists role members, and where the charters are. Options as written
 * (`ProjectConfigOptions`, every field optional) -> `resolveProjectConfig()` -> a frozen
 * `ResolvedProjectConfig` with absolute paths. Paths are relative to the config file's folder.
 * Nothing here reads the environment: the CLI applies `CHARTER_STORE` and `--store` on top.
 */
import path from "node:path";
import { z } from "zod";
import { CharterError } from "../errors.js";
import type { StoreSpec } from "./store-spec.js";
import { parseStoreSpec } from "./store-spec.js";

export const PROJECT_CONFIG_FILE = "charter.config.json";

/** The folder and file names of the default store, relative to the project root. */
export const DEFAULT_STORE = "sqlite:.charter/charter.db";
export const DEFAULT_CHARTERS = ["charters/*.yaml", "charters/*.yml", "charters/*.json"] as const;

const relativePath = (what: string) => z.string().min(1, `${what} must be a non-empty path`);

export const projectConfigSchema = z.strictObject({
  $schema: z.string().optional().meta({ description: "The JSON Schema of this file, for editors." }),
  store: z
    .string()
    .regex(
      /^(sqlite:.+|postgres(ql)?:\/\/.+)$/i,
      'store must be "sqlite:PATH" (e.g. "sqlite:.charter/charter.db") or "postgres://USER@HOST:PORT/DB"',
    )
    .optional()
    .meta({
      description: `Where runs are kept: "sqlite:PATH", the path relative to this file, or a PostgreSQL URL "postgres://USER@HOST:PORT/DB", optionally with "?schema=NAME". CHARTER_STORE and --store override it. Default "${DEFAULT_STORE}".`,
    }),
  handlers: relativePath("handlers").optional().meta({
    description:
      "The module that exports the action handlers (made with defineAction): a .js, .mjs or .ts file, relative to this file.",
  }),
  directory: relativePath("directory")
    .optional()
    .meta({ description: "A directory file (`directory: 1`) listing role members, relative to this file." }),
  charters: z
    .array(relativePath("each charters entry"))
    .min(1, "charters must list at least one file, folder or pattern")
    .optional()
    .meta({
      description:
        'Charter files, folders or patterns (`*`, `?`, `**`) that `charter deploy` deploys when given no file. Default ["charters/*.yaml", "charters/*.yml", "charters/*.json"].',
    }),
});

/** `charter.config.json` as written. */
export type ProjectConfigOptions = z.input<typeof projectConfigSchema>;

export interface ResolvedProjectConfig {
  /** The config file (absolute), or undefined when the project has none and defaults apply. */
  readonly file: string | undefined;
  /** The folder that relative paths start from: the config file's, or the working directory. */
  readonly root: string;
  readonly store: StoreSpec;
  /** The handlers module (absolute), if the project registers handlers. */
  readonly handlers: string | undefined;
  /** The directory file (absolute), if any. */
  readonly directory: string | undefined;
  /** Charter files, folders or patterns, absolute. */
  readonly charters: readonly string[];
}

/**
 * Check the options and resolve their paths against `root` (the config file's folder).
 * @throws CharterError INVALID_OPTION naming the field and the file.
 */
export function resolveProjectConfig(
  options: unknown,
  context: {
    /** The folder relative paths start from. */
    readonly root: string;
    /** The config file, absolute; absent when defaults apply. */
    readonly file?: string;
    /** How errors name the file. @default the file name */
    readonly shown?: string;
  },
): ResolvedProjectConfig {
  const shown = context.shown ?? (context.file ? path.basename(context.file) : PROJECT_CONFIG_FILE);
  const result = projectConfigSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new CharterError("INVALID_OPTION", `${shown}: ${where}${describeIssue(issue)}`, {
      details: { file: shown, path: issue.path },
    });
  }
  const data = result.data;
  const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(context.root, p));
  return Object.freeze({
    file: context.file,
    root: context.root,
    store: parseStoreSpec(data.store ?? DEFAULT_STORE, context.root, `${shown}: store`),
    handlers: resolve(data.handlers),
    directory: resolve(data.directory),
    charters: Object.freeze(
      (data.charters ?? [...DEFAULT_CHARTERS]).map((p) => path.resolve(context.root, p)),
    ),
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(projectConfigSchema.shape).join(", ");
    return `unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")}. Expected one of: ${known}`;
  }
  return issue.message;
}
