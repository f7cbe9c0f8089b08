/**
 * Reading charters from disk for the CLI: YAML and JSON files, directories of them, directory
 * (role member) files, and JavaScript/TypeScript modules that export `defineWorkflow` results.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../definition/diagnostic.js";
import { isDefinedWorkflow } from "../definition/define.js";
import { isDirectoryValue, loadDirectory } from "../definition/directory.js";
import type { ResolvedDefinitionLimits } from "../definition/limits.js";
import type { Directory } from "../definition/lint/rule.js";
import type { LoadedCharter } from "../definition/load.js";
import { loadCharter, loadCharterValue } from "../definition/load.js";
import { fileSizeMessage, NO_SOURCE, parseCharterText } from "../definition/parse.js";
import { describeFsError } from "../config/find-config.js";
import { importModule, MODULE_EXTENSIONS } from "../config/import-module.js";
import { CharterError, isCharterError } from "../errors.js";
import type { DefinitionError } from "../errors.js";

export const CHARTER_EXTENSIONS = [".yaml", ".yml", ".json"];

export interface CharterSource {
  /** As the user wrote it, relative to the working directory when it was given that way. */
  file: string;
  loaded: LoadedCharter;
  /** The directory its `directory:` field names, when it has one and it could be read. */
  directory?: Directory;
  /** Problems reading the directory file, reported with the charter. */
  extra: Diagnostic[];
}

export interface ReadResult {
  charters: CharterSource[];
  /** Directory files given on the command line: validated, reported, not charters. */
  directories: { file: string; diagnostics: Diagnostic[] }[];
}

/** Expand the command line's paths (files or directories) to the files to read, in a stable order. */
export async function expandPaths(paths: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const info = await stat(absolute).catch((error: unknown) => {
      throw new CharterError("FILE_NOT_FOUND", `cannot read ${given}: ${describeFsError(error)}`, {
        cause: error,
      });
    });
    if (!info.isDirectory()) {
      files.push(given);
      continue;
    }
    const entries = (await readdir(absolute))
      .filter((name) => CHARTER_EXTENSIONS.includes(path.extname(name)))
      .sort();
    if (entries.length === 0) {
      throw new CharterError("FILE_NOT_FOUND", `${given} is a folder with no .yaml, .yml or .json file`);
    }
    files.push(...entries.map((name) => path.join(given, name)));
  }
  return [...new Set(files)];
}

export async function readCharters(
  paths: readonly string[],
  cwd: string,
  limits: ResolvedDefinitionLimits,
): Promise<ReadResult> {
  const result: ReadResult = { charters: [], directories: [] };
  for (const file of await expandPaths(paths, cwd)) {
    const absolute = path.resolve(cwd, file);
    if (MODULE_EXTENSIONS.includes(path.extname(file))) {
      for (const loaded of await loadModuleCharters(absolute, file, limits))
        result.charters.push({ file: loaded.file, loaded, extra: [] });
      continue;
    }
    const bytes = await readBounded(absolute, file, limits.maxBytes);
    if (typeof bytes === "number") {
      result.charters.push({
        file,
        loaded: unreadable(file, "limits/file-size", fileSizeMessage(bytes, limits.maxBytes)),
        extra: [],
      });
      continue;
    }
    if (looksLikeDirectoryFile(bytes, limits)) {
      result.directories.push({ file, diagnostics: loadDirectory(bytes, file, limits).diagnostics });
      continue;
    }
    const loaded = loadCharter(bytes, file, limits);
    result.charters.push({ file, loaded, ...(await readCharterDirectory(loaded, absolute, limits)) });
  }
  return result;
}

/** A file's bytes, or its size when it is over the limit: a 10 GB file is refused without reading it. */
async function readBounded(absolute: string, file: string, maxBytes: number): Promise<Uint8Array | number> {
  try {
    const info = await stat(absolute);
    // A device or a pipe (/dev/zero, a FIFO) reports no size and may never end: refuse it.
    if (!info.isFile()) throw new CharterError("FILE_NOT_FOUND", `${file} is not a regular file`);
    if (info.size > maxBytes) return info.size;
    return await readFile(absolute);
  } catch (error) {
    if (isCharterError(error)) throw error;
    throw new CharterError("FILE_NOT_FOUND", `cannot read ${file}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
}

function looksLikeDirectoryFile(bytes: Uint8Array, limits: ResolvedDefinitionLimits): boolean {
  // Cheap check first: only a file that mentions `directory:` at the start of a line can be one.
  if (!/^directory\s*:/m.test(Buffer.from(bytes).toString("utf8"))) return false;
  return isDirectoryValue(parseCharterText(bytes, limits).value);
}

async function readCharterDirectory(
  loaded: LoadedCharter,
  absolute: string,
  limits: ResolvedDefinitionLimits,
): Promise<{ directory?: Directory; extra: Diagnostic[] }> {
  const relative = loaded.charter?.directory;
  if (relative === undefined) return { extra: [] };
  const target = path.resolve(path.dirname(absolute), relative);
  const at = loaded.source.locate(["directory"]);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(target);
  } catch (error) {
    const message = `cannot read directory file ${relative}: ${describeFsError(error)}`;
    return {
      extra: [
        {
          ruleId: "schema/directory",
          severity: "error",
          message,
          file: loaded.file,
          path: ["directory"],
          ...at,
        },
      ],
    };
  }
  const directory = loadDirectory(bytes, path.join(path.dirname(loaded.file), relative), limits);
  return { ...(directory.directory ? { directory: directory.directory } : {}), extra: directory.diagnostics };
}

/** Charters exported by a module: its `defineWorkflow` results, or plain objects with `charter: 1`. */
async function loadModuleCharters(
  absolute: string,
  file: string,
  limits: ResolvedDefinitionLimits,
): Promise<LoadedCharter[]> {
  let exports: Record<string, unknown>;
  try {
    exports = (await importModule(absolute)) as Record<string, unknown>;
  } catch (error) {
    // defineWorkflow throws when the object is not a charter: report its findings like a file's.
    if (isCharterError(error) && error.code === "DEFINITION_INVALID")
      return [refusedModule(file, error as DefinitionError)];
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CharterError("MODULE_INVALID", `cannot load ${file}: ${reason}`, { cause: error });
  }
  const found = Object.entries(exports).filter(
    ([, value]) =>
      isDefinedWorkflow(value) ||
      (typeof value === "object" && value !== null && (value as { charter?: unknown }).charter === 1),
  );
  if (found.length === 0) {
    throw new CharterError(
      "MODULE_INVALID",
      `${file} exports no charter; export the result of defineWorkflow(...)`,
    );
  }
  return found.map(([name, value]) =>
    loadCharterValue(value, found.length === 1 ? file : `${file}#${name}`, NO_SOURCE, limits),
  );
}

function refusedModule(file: string, error: DefinitionError): LoadedCharter {
  const diagnostics = error.diagnostics.map((d) => ({ ...d, file }));
  return { file, charter: undefined, value: undefined, source: NO_SOURCE, diagnostics };
}

function unreadable(file: string, ruleId: string, message: string): LoadedCharter {
  const diagnostic: Diagnostic = { ruleId, severity: "error", message, file, path: [], line: 1, col: 1 };
  return { file, charter: undefined, value: undefined, source: NO_SOURCE, diagnostics: [diagnostic] };
}
