/** Import a user's JavaScript or TypeScript module (charters, handlers) by absolute path. */
import { pathToFileURL } from "node:url";

/** The file extensions `importModule` loads. */
export const MODULE_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];

export async function importModule(absolute: string): Promise<unknown> {
  if (/\.[mc]?ts$/.test(absolute)) {
    // TypeScript modules go through tsx, loaded only when needed: Node 20 cannot strip types itself.
    const { tsImport } = await import("tsx/esm/api");
    return tsImport(pathToFileURL(absolute).href, import.meta.url);
  }
  return import(pathToFileURL(absolute).href);
}
