/**
 * The SQLite store: one connection, one process. better-sqlite3 is synchronous, so each method runs
 * to completion before another starts; IMMEDIATE transactions also keep other processes on the same
 * file out while a commit reads and writes.
 */
import type { Database } from "better-sqlite3";
import type { Store } from "../store.js";
import { prepareCommits } from "./commit.js";
import { openDatabase } from "./open.js";
import { resolveSqliteStoreOptions } from "./options.js";
import type { ResolvedSqliteStoreOptions, SqliteStoreOptions } from "./options.js";
import { prepareQueries } from "./queries.js";
import { workLimit } from "../shared/jobs.js";
import { toMs } from "../shared/time.js";

export interface SqliteStore extends Store {
  readonly options: ResolvedSqliteStoreOptions;
  /** @internal For tests only: the open connection. */
  readonly _internals: { readonly db: Database };
}

/** Open (and create or migrate) a SQLite database file as a Store. */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const resolved = resolveSqliteStoreOptions(options);
  const db = openDatabase(resolved);
  const q = prepareQueries(db);
  const commits = prepareCommits(db, q);
  const leaseJobs = withoutSync(
    db,
    resolved.synchronous,
    db.transaction((worker: string, limit: number, now: number, until: number) =>
      q.jobs.lease(worker, limit, now, until),
    ).immediate,
  );
  const claimTimers = withoutSync(
    db,
    resolved.synchronous,
    db.transaction((limit: number, now: number, until: number) => q.timers.claim(limit, now, until))
      .immediate,
  );

  return {
    options: resolved,
    _internals: { db },

    deployCharter: async (version) => q.charters.deploy(version),
    getCharterVersion: async (workflow, version) => q.charters.get(workflow, version),
    latestCharterVersion: async (workflow) => q.charters.latest(workflow),
    listCharters: async () => q.charters.list(),

    createRun: async (first) => commits.create(first),
    getRun: async (runId) => q.runs.get(runId),
    listRuns: async (filter) => q.runs.list(filter),
    history: async (runId) => q.history.list(runId),

    commitTransition: async (write) => commits.commit(write),
    commitBatch: async (writes) => (writes.length === 0 ? [] : commits.batch(writes)),
    appendAudit: async (runId, commands) => commits.appendAudit(runId, commands),
    auditTrail: async (runId) => q.audit.list(runId),

    leaseJobs: async (workerId, limit, now, until) =>
      workLimit(limit) === 0 ? [] : leaseJobs(workerId, limit, toMs(now, "now"), toMs(until, "until")),
    claimDueTimers: async (limit, now, until) =>
      workLimit(limit) === 0 ? [] : claimTimers(limit, toMs(now, "now"), toMs(until, "until")),
    nextTimerAt: async () => q.timers.nextAt(),
    completeJob: async (job) => q.jobs.complete(job.jobId, job.lease),
    deleteTimer: async (timerId) => q.timers.remove(timerId),

    listTasks: async (filter) => q.tasks.list(filter),
    getTask: async (taskId) => q.tasks.get(taskId),
    claimTask: async (taskId, by) => q.tasks.claim(taskId, by),

    findSubscriptions: async (name, key) => q.subscriptions.find(name, key),
    listExceptions: async (filter) => q.exceptions.list(filter),
    // One process per file: the committing process wakes its own workers; others poll.
    onNotice: () => () => {},

    close: async () => {
      if (db.open) db.close();
    },
  };
}

/**
 * Runs a lease or a claim without waiting for the disk. A lease only means something while the
 * process that holds it is alive: after a power cut, a lease that was lost lets another worker take
 * the job, which a lease that ended would have done too (handlers are at least once, and fencing
 * still refuses the old holder). WAL frames are written in order, so the next synced commit makes
 * the lease durable anyway. This saves one fsync per lease round.
 */
function withoutSync<A extends unknown[], R>(
  db: Database,
  synchronous: string,
  fn: (...args: A) => R,
): (...args: A) => R {
  return (...args) => {
    db.pragma("synchronous = OFF");
    try {
      return fn(...args);
    } finally {
      db.pragma(`synchronous = ${synchronous}`);
    }
  };
}
