/**
 * The handlers module a project config names: it exports the action handlers made with
 * `defineAction`, as named exports, as a default export, or as an array (default or named).
 */
import path from "node:path";
import { CharterError } from "../errors.js";
import type { ActionHandler } from "../runtime/engine.js";
import { importModule, MODULE_EXTENSIONS } from "./import-module.js";

/** What `defineAction` returns: an object with a `name` and a `run` function. */
export function isActionHandler(value: unknown): value is ActionHandler {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { name?: unknown }).name === "string" &&
    typeof (value as { run?: unknown }).run === "function"
  );
}

/**
 * Import the module and collect its handlers, each once, in export order.
 * @param shown the module's path as the user wrote it, for messages
 * @throws CharterError MODULE_INVALID when it cannot be loaded, exports no handler, or exports two
 *   different handlers under one name
 */
export async function loadHandlersModule(absolute: string, shown: string): Promise<ActionHandler[]> {
  if (!MODULE_EXTENSIONS.includes(path.extname(absolute))) {
    throw new CharterError(
      "MODULE_INVALID",
      `handlers module ${shown} must be a .js, .mjs, .cjs, .ts, .mts or .cts file`,
    );
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await importModule(absolute)) as Record<string, unknown>;
  } catch (error) {
    throw new CharterError("MODULE_INVALID", `cannot load handlers module ${shown}: ${loadFailure(error)}`, {
      cause: error,
    });
  }
  const found = collectHandlers(exports);
  if (found.length === 0) {
    throw new CharterError(
      "MODULE_INVALID",
      `handlers module ${shown} exports no handler; export the results of defineAction({ name, run }) (named, default, or as an array)`,
    );
  }
  const byName = new Map<string, ActionHandler>();
  for (const handler of found) {
    const other = byName.get(handler.name);
    if (other !== undefined && other !== handler) {
      throw new CharterError(
        "MODULE_INVALID",
        `handlers module ${shown} exports two handlers named "${handler.name}"; each name must be registered once`,
      );
    }
    byName.set(handler.name, handler);
  }
  return [...byName.values()];
}

function collectHandlers(exports: Record<string, unknown>): ActionHandler[] {
  const found: ActionHandler[] = [];
  for (const value of Object.values(exports)) {
    if (isActionHandler(value)) found.push(value);
    else if (Array.isArray(value)) found.push(...value.filter(isActionHandler));
  }
  return found;
}

function loadFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  if (code === "ERR_MODULE_NOT_FOUND" && /['"]charter['"]/.test(message)) {
    return `${message}; install the charter package in the project (npm install charter, or npm link charter from a checkout)`;
  }
  return message;
}
