export { createSqliteStore } from "./create-store.js";
export type { SqliteStore } from "./create-store.js";
export { DEFAULT_SQLITE_STORE_OPTIONS, resolveSqliteStoreOptions, SYNCHRONOUS_MODES } from "./options.js";
export type { ResolvedSqliteStoreOptions, SqliteStoreOptions, SynchronousMode } from "./options.js";
