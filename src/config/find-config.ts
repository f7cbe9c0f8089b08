/** Finding and reading `charter.config.json`: the nearest one from the working directory up. */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { CharterError } from "../errors.js";
import type { ResolvedProjectConfig } from "./project-config.js";
import { PROJECT_CONFIG_FILE, resolveProjectConfig } from "./project-config.js";

/** The nearest `charter.config.json` in `from` or a folder above it, or undefined. */
export async function findProjectConfig(from: string): Promise<string | undefined> {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, PROJECT_CONFIG_FILE);
    if (await isFile(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The project's config: the file given (relative to `cwd`), else the nearest one found from `cwd`
 * up, else the defaults rooted at `cwd`.
 * @throws CharterError FILE_NOT_FOUND for a given file that is missing, INVALID_OPTION for a bad one
 */
export async function loadProjectConfig(options: {
  readonly cwd: string;
  readonly file?: string;
}): Promise<ResolvedProjectConfig> {
  const file =
    options.file === undefined
      ? await findProjectConfig(options.cwd)
      : path.resolve(options.cwd, options.file);
  if (file === undefined) return resolveProjectConfig({}, { root: path.resolve(options.cwd) });
  const shown = displayPath(file, options.cwd);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CharterError("FILE_NOT_FOUND", `cannot read ${shown}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CharterError("INVALID_OPTION", `${shown} is not valid JSON: ${reason}`, { cause: error });
  }
  return resolveProjectConfig(value, { root: path.dirname(file), file, shown });
}

/** A path as the user would write it from `cwd`: relative when inside it, absolute otherwise. */
export function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute;
}

export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return error instanceof Error ? error.message : String(error);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false; // missing or unreadable: keep looking further up
  }
}
