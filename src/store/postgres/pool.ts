/**
 * The connection pool and the LISTEN connection share one configuration. int8 columns (epoch
 * milliseconds, counts) are parsed as numbers for this store's connections only: changing `pg`'s
 * global parsers would change them for every other user of `pg` in the process.
 */
import pg from "pg";
import type { ClientConfig, CustomTypesConfig } from "pg";
import type { ResolvedPostgresStoreOptions } from "./options.js";

const INT8_OID = 20;

/** Epoch ms and counts are far below 2^53, so a JavaScript number holds them exactly. */
const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? (text: string) => Number(text)
      : pg.types.getTypeParser(oid, format ?? "text")) as CustomTypesConfig["getTypeParser"],
};

export function clientConfig(options: ResolvedPostgresStoreOptions, applicationName: string): ClientConfig {
  return {
    connectionString: options.connectionString,
    application_name: applicationName,
    types: TYPES,
    ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
  };
}

export function createPool(options: ResolvedPostgresStoreOptions): pg.Pool {
  const pool = new pg.Pool({
    ...clientConfig(options, options.applicationName),
    max: options.poolSize,
    // Idle connections do not keep the process alive; close() still ends them at once.
    allowExitOnIdle: true,
  });
  // An idle client whose connection dies (the server restarted, an admin terminated it) is removed
  // from the pool by pg-pool, which then emits `error`. Unhandled, that event would crash the
  // process; handled, the next query simply opens a new connection.
  pool.on("error", () => {});
  return pool;
}
