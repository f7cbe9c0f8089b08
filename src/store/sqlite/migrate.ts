/**
 * Numbered migrations, applied in one IMMEDIATE transaction and recorded in `charter_migrations`.
 * Running them again is a no-op; two processes opening a new file at once are serialised by the
 * write lock, and the second finds the work done.
 */
import type { Database } from "better-sqlite3";
import { sql as initial } from "./migrations/0001-initial.js";
import { pendingMigrations } from "../shared/migrations.js";
import type { AppliedMigration, Migration } from "../shared/migrations.js";

/** In order. A released migration never changes: add the next number instead. */
export const MIGRATIONS: readonly Migration[] = [{ id: 1, name: "initial", sql: initial }];

/** Apply the migrations not applied yet; returns the ids applied now. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const run = db.transaction((): number[] => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS charter_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
    const applied = db.prepare<[], AppliedMigration>("SELECT id, name FROM charter_migrations").all();
    const record = db.prepare("INSERT INTO charter_migrations (id, name, applied_at) VALUES (?, ?, ?)");
    const now: number[] = [];
    for (const migration of pendingMigrations(applied, migrations)) {
      db.exec(migration.sql);
      record.run(migration.id, migration.name, new Date().toISOString());
      now.push(migration.id);
    }
    return now;
  });
  return run.immediate();
}
