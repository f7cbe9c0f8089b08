/**
 * Where a benchmark runs: a fresh SQLite file (synchronous FULL, the default: durable like the
 * peers), or a fresh PostgreSQL database (default settings, so synchronous_commit on). The
 * PostgreSQL store is imported dynamically, so the benchmark runs on SQLite alone without it.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/store.js";
import type { Client as PgClient } from "pg";

export const PG_BASE_URL = process.env.CHARTER_BENCH_PG ?? "postgres://postgres@127.0.0.1:5432";

export type StoreKind = "sqlite" | "postgres";

/** What a process needs to open the store: plain data, passed to worker processes as JSON. */
export type StoreSpec =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgres"; readonly connectionString: string };

interface PostgresModule {
  createPostgresStore(options: { connectionString: string; schema?: string }): Promise<Store>;
}

/** The PostgreSQL store, or why it cannot be used (not written yet, or does not load). */
export async function loadPostgresStore(): Promise<
  { ok: true; module: PostgresModule } | { ok: false; reason: string }
> {
  // A variable specifier: the type checker does not look for a module that may not exist yet.
  const specifier = "../../src/store/postgres/index.js";
  try {
    const module = (await import(specifier)) as Partial<PostgresModule>;
    if (typeof module.createPostgresStore !== "function")
      return { ok: false, reason: "src/store/postgres/index.ts does not export createPostgresStore" };
    return { ok: true, module: module as PostgresModule };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND" && String((error as Error).message).includes("store/postgres"))
      return { ok: false, reason: "src/store/postgres/index.ts does not exist yet" };
    return { ok: false, reason: `src/store/postgres/index.ts failed to load: ${String(error)}` };
  }
}

export async function openStore(spec: StoreSpec): Promise<Store> {
  if (spec.kind === "sqlite") return createSqliteStore({ path: spec.path, synchronous: "FULL" });
  const loaded = await loadPostgresStore();
  if (!loaded.ok) throw new Error(`postgres: not available (${loaded.reason})`);
  return loaded.module.createPostgresStore({ connectionString: spec.connectionString });
}

/** A store that nobody has used: a new SQLite file, or the PostgreSQL database dropped and created. */
export interface FreshStore {
  readonly spec: StoreSpec;
  /** Removes the file (SQLite); PostgreSQL databases are left for inspection until the next round. */
  dispose(): Promise<void>;
}

export async function freshStore(kind: StoreKind, database: string): Promise<FreshStore> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "charter-bench-"));
    return {
      spec: { kind, path: path.join(dir, `${database}.db`) },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  await pgAdmin([`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`, `CREATE DATABASE "${database}"`]);
  return { spec: { kind, connectionString: `${PG_BASE_URL}/${database}` }, dispose: async () => {} };
}

/** Statements on the server's `postgres` database, with a short-lived client. */
export async function pgAdmin(sqls: readonly string[]): Promise<void> {
  await withPg(`${PG_BASE_URL}/postgres`, async (client) => {
    for (const sql of sqls) await client.query(sql);
  });
}

async function withPg<T>(connectionString: string, use: (client: PgClient) => Promise<T>): Promise<T> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Whether the PostgreSQL server answers (and why not). */
export async function pgReachable(): Promise<
  { ok: true; settings: Record<string, string> } | { ok: false; reason: string }
> {
  try {
    const settings = await withPg(`${PG_BASE_URL}/postgres`, async (client) => {
      const result = await client.query<{ version: string; synchronous_commit: string; fsync: string }>(
        "SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync",
      );
      return { ...result.rows[0]! };
    });
    return { ok: true, settings };
  } catch (error) {
    return { ok: false, reason: String(error) };
  }
}

/** Bytes on disk: SQLite's file, WAL and shared-memory index; PostgreSQL's database and its tables. */
export async function storeSize(spec: StoreSpec): Promise<Record<string, number>> {
  if (spec.kind === "sqlite") {
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    const file = size(spec.path);
    const wal = size(`${spec.path}-wal`);
    return { file, wal, shm: size(`${spec.path}-shm`), total: file + wal };
  }
  return withPg(spec.connectionString, async (client) => {
    const result = await client.query<{ database: string; tables: string | null; table_data: string | null }>(
      `SELECT pg_database_size(current_database()) AS database,
              sum(pg_total_relation_size(relid)) AS tables,
              sum(pg_relation_size(relid)) AS table_data
         FROM pg_stat_user_tables`,
    );
    const row = result.rows[0]!;
    return {
      database: Number(row.database),
      tables: Number(row.tables ?? 0),
      tableData: Number(row.table_data ?? 0),
      total: Number(row.tables ?? 0),
    };
  });
}

/** A checkpoint, so that the next measurement does not pay for the last one's dirty pages. */
export async function pgCheckpoint(spec: StoreSpec): Promise<void> {
  if (spec.kind === "postgres") await withPg(spec.connectionString, (client) => client.query("CHECKPOINT"));
}
