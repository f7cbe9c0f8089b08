/**
 * Where the crash test's runs live: a SQLite file, or a PostgreSQL database and schema. A target
 * gives the worker processes a store spec (`sqlite:PATH`, `postgres://...?schema=NAME`), the
 * harness its own store, and the few questions the harness asks the store's tables directly (runs
 * still running, jobs a worker holds, jobs and timers left).
 *
 * On PostgreSQL the harness's own connections are cut by the faults it injects like everyone
 * else's: its store retries longer than a worker's, and its direct queries are retried by
 * `persist` until the server answers again.
 */
import path from "node:path";
import pg from "pg";
import { createPostgresStore } from "../../src/store/postgres/index.js";
import { noticeChannel, quoteIdentifier } from "../../src/store/postgres/identifiers.js";
import { isRetryable } from "../../src/store/postgres/retryable.js";
import { createSqliteStore } from "../../src/store/sqlite/index.js";
import type { SqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/store.js";

export type StoreTargetSpec =
  | { readonly kind: "sqlite" }
  | {
      readonly kind: "postgres";
      /** The database's URL (no `schema` parameter). */
      readonly url: string;
      /** @default "charter" */
      readonly schema?: string;
    };

export interface StoreTarget {
  readonly kind: StoreTargetSpec["kind"];
  /** What the worker processes open (`openStore(parseStoreSpec(spec))`). */
  readonly spec: string;
  /** The harness's own store, for its engine. */
  openStore(): Promise<Store>;
  countRunning(): Promise<number>;
  /** Jobs leased to `workerId` whose lease has not ended at `nowMs`. */
  jobsHeldBy(workerId: string, nowMs: number): Promise<number>;
  leftover(): Promise<{ jobs: number; timers: number }>;
  /**
   * Connections LISTENing for the store's notices (one per worker process on PostgreSQL); undefined
   * for a store that sends none.
   */
  listeners(): Promise<number | undefined>;
  /** A run's jobs and timers as rows, for the report of a run that does not end. */
  workOf(runId: string): Promise<unknown[]>;
  close(): Promise<void>;
}

export function sqliteTarget(file: string): StoreTarget {
  // The harness's store's own connection: SQLite is one process's file, the workers' aside.
  let store: SqliteStore | undefined;
  const count = (sql: string, ...params: unknown[]) => {
    if (store === undefined) throw new Error("open the harness's store first");
    return (store._internals.db.prepare(sql).get(...params) as { n: number }).n;
  };
  return {
    kind: "sqlite",
    spec: `sqlite:${file}`,
    openStore: async () => (store = createSqliteStore({ path: file, synchronous: "NORMAL" })),
    countRunning: async () => count("SELECT count(*) AS n FROM runs WHERE status = 'running'"),
    jobsHeldBy: async (workerId, nowMs) =>
      count("SELECT count(*) AS n FROM jobs WHERE leased_by = ? AND leased_until > ?", workerId, nowMs),
    leftover: async () => ({
      jobs: count("SELECT count(*) AS n FROM jobs"),
      timers: count("SELECT count(*) AS n FROM timers"),
    }),
    listeners: async () => undefined,
    workOf: async (runId) => [
      ...store!._internals.db.prepare("SELECT 'job' AS t, * FROM jobs WHERE run_id = ?").all(runId),
      ...store!._internals.db.prepare("SELECT 'timer' AS t, * FROM timers WHERE run_id = ?").all(runId),
    ],
    // The harness closes its store with its engine.
    close: async () => {
      store = undefined;
    },
  };
}

export function postgresTarget(url: string, schema = "charter"): StoreTarget {
  const spec = new URL(url);
  spec.searchParams.set("schema", schema);
  const s = quoteIdentifier(schema);
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: "charter-crash-harness" });
  // An idle connection cut by a fault: the pool drops it, the next query opens another.
  pool.on("error", () => {});
  const count = (sql: string, params: unknown[] = []) =>
    persist(async () => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n));
  return {
    kind: "postgres",
    spec: spec.toString(),
    openStore: () =>
      persist(() =>
        createPostgresStore({
          connectionString: url,
          schema,
          // About 40 s of retries (backoff up to 1 s): the harness outlasts a server restart.
          retry: 45,
          applicationName: "charter-crash-harness",
        }),
      ),
    countRunning: () => count(`SELECT count(*) AS n FROM ${s}.runs WHERE status = 'running'`),
    jobsHeldBy: (workerId, nowMs) =>
      count(`SELECT count(*) AS n FROM ${s}.jobs WHERE leased_by = $1 AND leased_until > $2`, [
        workerId,
        nowMs,
      ]),
    leftover: async () => ({
      jobs: await count(`SELECT count(*) AS n FROM ${s}.jobs`),
      timers: await count(`SELECT count(*) AS n FROM ${s}.timers`),
    }),
    // An idle connection shows its last statement: the LISTEN connections' is their LISTEN.
    listeners: () =>
      count(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND query = $1 AND pid <> pg_backend_pid()`,
        [`LISTEN ${quoteIdentifier(noticeChannel(schema))}`],
      ),
    workOf: (runId) =>
      persist(async () => [
        ...(await pool.query(`SELECT 'job' AS t, * FROM ${s}.jobs WHERE run_id = $1`, [runId])).rows,
        ...(await pool.query(`SELECT 'timer' AS t, * FROM ${s}.timers WHERE run_id = $1`, [runId])).rows,
      ]),
    close: () => pool.end(),
  };
}

export function openTarget(spec: StoreTargetSpec, dir: string): StoreTarget {
  return spec.kind === "sqlite"
    ? sqliteTarget(path.join(dir, "charter.db"))
    : postgresTarget(spec.url, spec.schema);
}

/**
 * `fn` again after a lost connection or a server that is (re)starting, until it succeeds or
 * `patienceMs` have passed. Only for what is safe to repeat: reads, and starts with an idempotency key.
 */
export async function persist<T>(fn: () => Promise<T>, patienceMs = 60_000): Promise<T> {
  const until = Date.now() + patienceMs;
  for (let wait = 50; ; wait = Math.min(1000, wait * 2)) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || Date.now() + wait > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
