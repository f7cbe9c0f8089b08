/**
 * Open the store a spec names. Each store's module is imported only when that store is used, so a
 * SQLite user never loads `pg`, and a PostgreSQL worker never loads better-sqlite3.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { StoreSpec } from "../config/store-spec.js";
import type { Store } from "./store.js";

export async function openStore(spec: StoreSpec): Promise<Store> {
  if (spec.kind === "postgres") {
    const { createPostgresStore } = await import("./postgres/index.js");
    return createPostgresStore({
      connectionString: spec.connectionString,
      ...(spec.schema === undefined ? {} : { schema: spec.schema }),
    });
  }
  await mkdir(path.dirname(spec.path), { recursive: true });
  const { createSqliteStore } = await import("./sqlite/index.js");
  return createSqliteStore({ path: spec.path });
}
