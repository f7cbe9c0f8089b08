/** Open the database file with the settings durability depends on, then bring its schema up to date. */
import Database from "better-sqlite3";
import { migrate } from "./migrate.js";
import type { ResolvedSqliteStoreOptions } from "./options.js";

export function openDatabase(options: ResolvedSqliteStoreOptions): Database.Database {
  const db = new Database(options.path);
  try {
    // busy_timeout first: the pragmas and the migration below may wait for another process's lock.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal" && !db.memory) {
      throw new Error(`could not switch ${options.path} to WAL mode (journal_mode is ${String(mode)})`);
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma("foreign_keys = ON");
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
