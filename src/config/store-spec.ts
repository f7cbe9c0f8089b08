/**
 * Which store to open, as the CLI and the config file write it: `sqlite:PATH`. (PostgreSQL will be
 * `postgres://...`.) Parsing resolves the path, so the spec no longer depends on the working directory.
 */
import path from "node:path";
import { CharterError } from "../errors.js";

export type StoreSpec = { readonly kind: "sqlite"; readonly path: string };

export const STORE_SPEC_HELP = "sqlite:PATH (e.g. sqlite:.charter/charter.db)";

/**
 * @param spec what the user wrote
 * @param base the folder a relative path is relative to
 * @param where names the source in errors (`--store`, `CHARTER_STORE`, `charter.config.json: store`)
 * @throws CharterError INVALID_OPTION when the spec is malformed
 */
export function parseStoreSpec(spec: string, base: string, where: string): StoreSpec {
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(spec);
  // A Windows drive letter (`C:\x.db`) is a path, not a scheme: say what to write instead.
  if (!match || match[1]!.length === 1) return invalid(spec, where, "it names no store kind");
  const [, kind, rest] = match;
  if (kind!.toLowerCase() !== "sqlite") return invalid(spec, where, `"${kind}" is not a store kind`);
  if (rest!.trim() === "") return invalid(spec, where, "the path is empty");
  if (rest === ":memory:") {
    return invalid(spec, where, "an in-memory store forgets everything when the command ends; name a file");
  }
  return Object.freeze({ kind: "sqlite", path: path.resolve(base, rest!) });
}

/** How a store spec is shown: the path relative to `cwd` when that is shorter. */
export function formatStoreSpec(store: StoreSpec, cwd: string): string {
  const relative = path.relative(cwd, store.path);
  return `sqlite:${relative !== "" && !relative.startsWith("..") ? relative : store.path}`;
}

function invalid(spec: string, where: string, why: string): never {
  throw new CharterError("INVALID_OPTION", `${where} "${spec}": ${why}; expected ${STORE_SPEC_HELP}`, {
    details: { option: where, value: spec },
  });
}
