export { createPostgresStore } from "./create-store.js";
export type { PostgresStore } from "./create-store.js";
export { DEFAULT_POSTGRES_STORE_OPTIONS, resolvePostgresStoreOptions } from "./options.js";
export type { PostgresStoreOptions, ResolvedPostgresStoreOptions } from "./options.js";
