/**
 * The PostgreSQL store: a pool of connections shared by every method, many processes on one
 * database. Transitions commit as batches (commit.ts); jobs and timers are leased with SKIP LOCKED;
 * notices reach the other processes over LISTEN/NOTIFY.
 */
import type pg from "pg";
import { workLimit } from "../shared/jobs.js";
import { toMs } from "../shared/time.js";
import type { Store } from "../store.js";
import { prepareCommits } from "./commit.js";
import { noticeChannel } from "./identifiers.js";
import { migrate } from "./migrate.js";
import { noticeListener } from "./notices.js";
import type { NoticeListener } from "./notices.js";
import { resolvePostgresStoreOptions } from "./options.js";
import type { PostgresStoreOptions, ResolvedPostgresStoreOptions } from "./options.js";
import { clientConfig, createPool } from "./pool.js";
import { prepareQueries } from "./queries.js";
import { tablesOf } from "./tables.js";
import { connections } from "./transaction.js";
import type { Connections } from "./transaction.js";

export interface PostgresStore extends Store {
  readonly options: ResolvedPostgresStoreOptions;
  /** @internal For tests only. */
  readonly _internals: {
    readonly pool: pg.Pool;
    readonly connections: Connections;
    readonly notices: NoticeListener;
    readonly channel: string;
  };
}

/** Connect to PostgreSQL, create or migrate the schema, and return the store. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const resolved = resolvePostgresStoreOptions(options);
  const pool = createPool(resolved);
  const db = connections(pool, resolved.retry);
  try {
    await migrate(db, resolved.schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const t = tablesOf(resolved.schema);
  const q = prepareQueries(t);
  const channel = noticeChannel(resolved.schema);
  const commits = prepareCommits(t, q, db, channel);
  const notices = noticeListener(clientConfig(resolved, `${resolved.applicationName}:listen`), channel);
  let closing: Promise<void> | undefined;

  return {
    options: resolved,
    _internals: { pool, connections: db, notices, channel },

    deployCharter: (version) => db.run((c) => q.charters.deploy(c, version)),
    getCharterVersion: (workflow, version) => db.run((c) => q.charters.get(c, workflow, version)),
    latestCharterVersion: (workflow) => db.run((c) => q.charters.latest(c, workflow)),
    listCharters: () => db.run((c) => q.charters.list(c)),

    createRun: async (first) => {
      const [result] = await commits.batch([{ kind: "create", ...first }]);
      if (result === undefined) throw new Error("createRun: the batch returned no result");
      return { runId: result.runId, created: result.ok };
    },
    getRun: (runId) => db.run((c) => q.runs.get(c, runId)),
    listRuns: (filter) => db.run((c) => q.runs.list(c, filter)),
    history: (runId) => db.run((c) => q.history.list(c, runId)),

    commitTransition: async (write) => {
      const [result] = await commits.batch([{ kind: "commit", ...write }]);
      return result?.ok === true;
    },
    commitBatch: (writes) => commits.batch(writes),
    appendAudit: (runId, commands) => commits.appendAudit(runId, commands),
    auditTrail: (runId) => db.run((c) => q.audit.list(c, runId)),

    leaseJobs: async (workerId, limit, now, until) => {
      if (workLimit(limit) === 0) return [];
      const [nowMs, untilMs] = [toMs(now, "now"), toMs(until, "until")];
      return db.run((c) => q.jobs.lease(c, workerId, limit, nowMs, untilMs));
    },
    claimDueTimers: async (limit, now, until) => {
      if (workLimit(limit) === 0) return [];
      const [nowMs, untilMs] = [toMs(now, "now"), toMs(until, "until")];
      return db.run((c) => q.timers.claim(c, limit, nowMs, untilMs));
    },
    nextTimerAt: () => db.run((c) => q.timers.nextAt(c)),
    completeJob: (job) => db.run((c) => q.jobs.complete(c, job.jobId, job.lease)),
    deleteTimer: (timerId) => db.run((c) => q.timers.remove(c, timerId)),

    listTasks: (filter) => db.run((c) => q.tasks.list(c, filter)),
    getTask: (taskId) => db.run((c) => q.tasks.get(c, taskId)),
    claimTask: (taskId, by) => db.run((c) => q.tasks.claim(c, taskId, by)),

    findSubscriptions: (name, key) => db.run((c) => q.subscriptions.find(c, name, key)),
    listExceptions: (filter) => db.run((c) => q.exceptions.list(c, filter)),
    onNotice: (listener) => notices.add(listener),

    close: () => {
      closing ??= Promise.all([notices.close(), pool.end()]).then(() => {});
      return closing;
    },
  };
}
