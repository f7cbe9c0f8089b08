/**
 * Numbered migrations, applied in one transaction and recorded in `<schema>.charter_migrations`.
 * The transaction first takes an advisory lock derived from the schema name, so two processes that
 * start at once on a new database are serialised: the second waits, then finds the work done.
 * Running them again is a no-op.
 */
import type pg from "pg";
import { migrationLockKey, quoteIdentifier } from "./identifiers.js";
import { sql as initial } from "./migrations/0001-initial.js";
import { pendingMigrations } from "../shared/migrations.js";
import type { AppliedMigration, Migration } from "../shared/migrations.js";
import type { Connections } from "./transaction.js";

/** In order. A released migration never changes: add the next number instead. */
export const MIGRATIONS: readonly Migration[] = [{ id: 1, name: "initial", sql: initial }];

/** Apply the migrations not applied yet; returns the ids applied now. */
export function migrate(
  connections: Connections,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return connections.transaction((client) => migrateIn(client, schema, migrations));
}

async function migrateIn(client: pg.PoolClient, schema: string, migrations: readonly Migration[]) {
  const s = quoteIdentifier(schema);
  await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [migrationLockKey(schema)]);
  // The migrations' SQL names no schema: everything it creates lands in this one (for this
  // transaction only: SET LOCAL ends with it, and the pooled connection is left as it was).
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await client.query(`SET LOCAL search_path TO ${s}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${s}.charter_migrations (
       id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const applied = (await client.query<AppliedMigration>(`SELECT id, name FROM ${s}.charter_migrations`)).rows;
  const now: number[] = [];
  for (const migration of pendingMigrations(applied, migrations)) {
    await client.query(migration.sql);
    await client.query(`INSERT INTO ${s}.charter_migrations (id, name) VALUES ($1, $2)`, [
      migration.id,
      migration.name,
    ]);
    now.push(migration.id);
  }
  return now;
}
