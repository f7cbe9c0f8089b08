/**
 * Opening the project for an engine command: its config (the nearest charter.config.json, or the
 * defaults), the store (`--store`, else `CHARTER_STORE`, else the config's), the directory file, and
 * the engine over them. The environment is read here, at the edge, and nowhere deeper.
 */
import { readFile } from "node:fs/promises";
import { describeFsError, displayPath, loadProjectConfig } from "../config/find-config.js";
import { loadHandlersModule } from "../config/handlers-module.js";
import type { ResolvedProjectConfig } from "../config/project-config.js";
import type { StoreSpec } from "../config/store-spec.js";
import { formatStoreSpec, parseStoreSpec } from "../config/store-spec.js";
import { loadDirectory } from "../definition/directory.js";
import type { Directory } from "../definition/lint/rule.js";
import { CharterError, isCharterError } from "../errors.js";
import type { ActionHandler, Engine, Logger } from "../runtime/engine.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/store.js";
import type { StoreFlags } from "./commands/options.js";
import type { CliIo } from "./io.js";
import { formatDiagnosticLine } from "./output.js";

export interface Project {
  readonly config: ResolvedProjectConfig;
  /** The store in effect, after `--store` and `CHARTER_STORE`. */
  readonly store: StoreSpec;
}

/** The project config with the store overrides applied: `--store` beats `CHARTER_STORE` beats the file. */
export async function openProject(flags: StoreFlags, io: CliIo): Promise<Project> {
  const config = await loadProjectConfig({ cwd: io.cwd, ...(flags.config ? { file: flags.config } : {}) });
  const env = io.env.CHARTER_STORE;
  const store =
    flags.store !== undefined
      ? parseStoreSpec(flags.store, io.cwd, "--store")
      : env !== undefined && env !== ""
        ? parseStoreSpec(env, io.cwd, "CHARTER_STORE")
        : config.store;
  return { config, store };
}

export interface EngineSetup {
  /** Load the config's handlers module (the worker runs handlers; other commands need only names). */
  readonly handlers?: boolean;
  readonly concurrency?: number;
  /** The project, when the command has opened it already. */
  readonly project?: Project;
}

/** Open the project and an engine over its store, run `use`, and close both whatever happens. */
export async function withEngine<T>(
  flags: StoreFlags,
  io: CliIo,
  use: (engine: Engine, project: Project) => Promise<T>,
  setup: EngineSetup = {},
): Promise<T> {
  const project = setup.project ?? (await openProject(flags, io));
  const directory = await readProjectDirectory(project.config, io.cwd);
  const handlers = setup.handlers ? await readProjectHandlers(project.config, io.cwd) : [];
  const store = await openProjectStore(project.store, io.cwd);
  let engine: Engine;
  try {
    // Loaded here, not at the top: lint and docs need neither the runtime nor SQLite.
    const { createEngine } = await import("../runtime/create-engine.js");
    engine = createEngine({
      store,
      handlers,
      logger: cliLogger(io),
      ...(directory ? { directory } : {}),
      ...(setup.concurrency !== undefined ? { concurrency: setup.concurrency } : {}),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  try {
    return await use(engine, project);
  } finally {
    await engine.close();
    await store.close();
  }
}

/** The handlers the config's module exports; none when the config names no module. */
export async function readProjectHandlers(
  config: ResolvedProjectConfig,
  cwd: string,
): Promise<ActionHandler[]> {
  if (config.handlers === undefined) return [];
  return loadHandlersModule(config.handlers, displayPath(config.handlers, cwd));
}

/** The directory file the config names, read and checked; undefined when it names none. */
export async function readProjectDirectory(
  config: ResolvedProjectConfig,
  cwd: string,
): Promise<Directory | undefined> {
  if (config.directory === undefined) return undefined;
  const shown = displayPath(config.directory, cwd);
  let bytes: Buffer;
  try {
    bytes = await readFile(config.directory);
  } catch (error) {
    throw new CharterError(
      "FILE_NOT_FOUND",
      `cannot read directory file ${shown}: ${describeFsError(error)}`,
      {
        cause: error,
      },
    );
  }
  const loaded = loadDirectory(bytes, shown);
  if (loaded.directory === undefined) {
    const first = loaded.diagnostics[0];
    throw new CharterError(
      "INVALID_OPTION",
      `directory file ${shown} is invalid: ${first ? formatDiagnosticLine(first) : "not a directory: 1 file"}`,
      { details: { diagnostics: loaded.diagnostics } },
    );
  }
  return loaded.directory;
}

async function openProjectStore(spec: StoreSpec, cwd: string): Promise<Store> {
  const shown = formatStoreSpec(spec, cwd);
  try {
    return await openStore(spec);
  } catch (error) {
    if (isCharterError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const code = spec.kind === "postgres" ? "STORE" : "FILE_NOT_FOUND";
    throw new CharterError(code, `cannot open the store ${shown}: ${reason}`, { cause: error });
  }
}

/** The worker's warnings and errors, one line each on the CLI's stderr. */
function cliLogger(io: CliIo): Logger {
  const write = (level: string) => (fields: Record<string, unknown>, message: string) => {
    const { err, ...rest } = fields;
    const context = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
    const cause = err instanceof Error ? `: ${err.message}` : "";
    io.stderr(`charter: ${level}: ${message}${cause}${context}\n`);
  };
  return { warn: write("warning"), error: write("error") };
}
