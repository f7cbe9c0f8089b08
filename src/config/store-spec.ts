/**
 * Which store to open, as the CLI and the config file write it: `sqlite:PATH`, or a PostgreSQL
 * connection URL (`postgres://` or `postgresql://`) with an optional `schema` query parameter.
 * Parsing resolves the path, so the spec no longer depends on the working directory.
 */
import path from "node:path";
import { CharterError } from "../errors.js";

export type StoreSpec =
  | { readonly kind: "sqlite"; readonly path: string }
  | {
      readonly kind: "postgres";
      /** The connection URL, without the `schema` parameter (PostgreSQL would refuse it). */
      readonly connectionString: string;
      /** The `schema` query parameter; the store's default when absent. */
      readonly schema?: string;
    };

export const STORE_SPEC_HELP =
  "sqlite:PATH (e.g. sqlite:.charter/charter.db) or postgres://USER@HOST:PORT/DB[?schema=NAME]";

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
  const scheme = kind!.toLowerCase();
  if (scheme === "postgres" || scheme === "postgresql") return parsePostgres(spec, where);
  if (scheme !== "sqlite") return invalid(spec, where, `"${kind}" is not a store kind`);
  if (rest!.trim() === "") return invalid(spec, where, "the path is empty");
  if (rest === ":memory:") {
    return invalid(spec, where, "an in-memory store forgets everything when the command ends; name a file");
  }
  return Object.freeze({ kind: "sqlite", path: path.resolve(base, rest!) });
}

function parsePostgres(spec: string, where: string): StoreSpec {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    return invalid(spec, where, "it is not a valid URL");
  }
  if (url.hostname === "" && !url.searchParams.has("host")) return invalid(spec, where, "it names no host");
  const schema = url.searchParams.get("schema");
  if (schema !== null && schema.trim() === "") return invalid(spec, where, "the schema parameter is empty");
  url.searchParams.delete("schema");
  return Object.freeze({
    kind: "postgres",
    connectionString: url.toString(),
    ...(schema === null ? {} : { schema }),
  });
}

/**
 * How a store spec is shown: a SQLite path relative to `cwd` when that is shorter; a PostgreSQL URL
 * without its password.
 */
export function formatStoreSpec(store: StoreSpec, cwd: string): string {
  if (store.kind === "postgres") {
    const url = new URL(store.connectionString);
    if (url.password !== "") url.password = "***";
    if (store.schema !== undefined) url.searchParams.set("schema", store.schema);
    return url.toString();
  }
  const relative = path.relative(cwd, store.path);
  return `sqlite:${relative !== "" && !relative.startsWith("..") ? relative : store.path}`;
}

function invalid(spec: string, where: string, why: string): never {
  throw new CharterError(
    "INVALID_OPTION",
    `${where} "${redact(spec)}": ${why}; expected ${STORE_SPEC_HELP}`,
    {
      details: { option: where, value: redact(spec) },
    },
  );
}

/** A password in a URL is never echoed back in an error. */
function redact(spec: string): string {
  return spec.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}
