/**
 * Committing transitions: `createRun`, `commitTransition` and `commitBatch` are all a batch here.
 * A batch is BEGIN, one locking read, one bulk write (every table, plus the notices), COMMIT: four
 * round trips however many writes it carries. Commands whose rows must be written in order (tasks,
 * subscriptions, exceptions; jobs or timers touched twice) add one statement each. A batch of creates
 * with no idempotency key needs no read: its bulk write runs alone, as its own transaction.
 */
import type pg from "pg";
import type { Command } from "../../engine/commands.js";
import type { BatchResult, BatchWrite } from "../store.js";
import { chainAudit } from "../shared/audit-rows.js";
import { chainHead } from "../shared/mappers.js";
import { auditCommands, commandError } from "../shared/writes.js";
import { keyedOpsCommute, planBatch } from "./batch-plan.js";
import type { BatchPlan, KeyedOp } from "./batch-plan.js";
import { finalsSql, lockSql, writeSql } from "./batch-sql.js";
import type { Queries } from "./queries.js";
import { RetryTransaction } from "./retryable.js";
import type { RunHeadRow } from "./rows.js";
import type { Tables } from "./tables.js";
import type { Connections } from "./transaction.js";

export type Commits = ReturnType<typeof prepareCommits>;

interface WriteResult {
  readonly created: string[];
  readonly updated: number;
  readonly completed: number;
}

export function prepareCommits(t: Tables, q: Queries, connections: Connections, channel: string) {
  const lock = lockSql(t);
  const write = writeSql(t);
  const finals = finalsSql(t);
  const appendSql = `WITH a AS (
      INSERT INTO ${t.audit} (run_id, seq, prev_hash, hash, actor, action, step, instance, reason, policy,
        data_hash, at, details, call)
      SELECT * FROM json_populate_recordset(NULL::${t.audit}, $1::json))
    UPDATE ${t.runs} SET audit_seq = $3, audit_hash = $4 WHERE run_id = $2`;
  const headSql = `SELECT run_id, workflow, seq, audit_seq, audit_hash, idempotency_key FROM ${t.runs}
    WHERE run_id = $1 FOR UPDATE`;

  const readLocked = async (c: pg.ClientBase, writes: readonly BatchWrite[]) => {
    const runIds = new Set<string>();
    const workflows: string[] = [];
    const keys: string[] = [];
    const jobIds: string[] = [];
    for (const w of writes) {
      runIds.add(w.kind === "create" ? w.state.runId : w.runId);
      if (w.kind === "create" && w.idempotencyKey !== undefined) {
        workflows.push(w.state.workflow);
        keys.push(w.idempotencyKey);
      }
      if (w.kind === "commit" && w.job) jobIds.push(w.job.jobId);
    }
    const result = await c.query<{ runs: RunHeadRow[]; jobs: { job_id: string; lease: number }[] }>({
      name: "charter_lock_batch",
      text: lock,
      values: [[...runIds], workflows, keys, jobIds],
    });
    const row = result.rows[0];
    if (row === undefined) throw new Error("the locking read returned no row");
    return row;
  };

  const writeAll = async (c: pg.ClientBase, plan: BatchPlan, bulkKeyed: boolean): Promise<WriteResult> => {
    const keyed = bulkKeyed ? plan.keyed : [];
    const of = <K extends KeyedOp["table"], D extends KeyedOp["kind"]>(table: K, kind: D) =>
      keyed.filter(
        (op): op is Extract<KeyedOp, { table: K; kind: D }> => op.table === table && op.kind === kind,
      );
    const result = await c.query<WriteResult>({
      name: "charter_write_batch",
      text: write,
      values: [
        JSON.stringify(plan.runInserts),
        JSON.stringify(plan.runUpdates),
        JSON.stringify(plan.history),
        JSON.stringify(plan.audit),
        JSON.stringify(of("jobs", "delete").map((op) => ({ job_id: op.key, lease: op.lease }))),
        JSON.stringify(of("jobs", "insert").map((op) => op.row)),
        of("timers", "delete").map((op) => op.key),
        JSON.stringify(of("timers", "insert").map((op) => op.row)),
        channel,
        plan.notices,
      ],
    });
    const row = result.rows[0];
    if (row === undefined) throw new Error("the batch write returned no row");
    return row;
  };

  /** The jobs and timers of a batch that touches one twice: one statement each, in order. */
  const writeKeyedInOrder = async (c: pg.ClientBase, ops: readonly KeyedOp[], skip: ReadonlySet<string>) => {
    for (const op of ops) {
      if (op.kind === "insert" && skip.has(op.row.run_id)) continue;
      if (op.table === "jobs" && op.kind === "insert") await q.jobs.insert(c, op.row);
      else if (op.table === "jobs") {
        if (!(await q.jobs.complete(c, op.key, op.lease)))
          throw new Error(`job ${op.key} changed under its lock`);
      } else if (op.kind === "insert") await q.timers.insert(c, op.row);
      else await q.timers.remove(c, op.key);
    }
  };

  /** The writes of a planned batch; returns the results, corrected for runs created meanwhile. */
  const writePlan = async (c: pg.ClientBase, plan: BatchPlan): Promise<BatchResult[]> => {
    const bulkKeyed = keyedOpsCommute(plan.keyed);
    const written = await writeAll(c, plan, bulkKeyed);
    if (
      written.updated !== plan.runUpdates.length ||
      (bulkKeyed && written.completed !== countCompleted(plan))
    ) {
      throw new Error("a run or job changed under its lock");
    }
    // A run this batch meant to create exists already: another process created it since the read.
    const results = [...plan.results];
    const skip = new Set<string>();
    const created = new Set(written.created);
    for (const [runId, create] of plan.creates) {
      if (created.has(runId)) continue;
      // Its existing run id is not known (an idempotency key), or a later write built on it: again.
      if (create.idempotent || create.used) throw new RetryTransaction(`run ${runId} was created meanwhile`);
      results[create.index] = { runId, ok: false, refused: "exists" };
      skip.add(runId);
    }
    if (!bulkKeyed) await writeKeyedInOrder(c, plan.keyed, skip);
    for (const op of plan.ordered) {
      if (skip.has(op.runId)) continue;
      try {
        await op.run(c, q);
      } catch (error) {
        throw commandError(op.runId, op.command, error);
      }
    }
    return results;
  };

  /**
   * After a lost COMMIT: the batch was applied if a run it wrote now holds exactly the state it
   * wrote (a transaction is all or nothing, so one run tells). A create then counts as created only
   * if its run holds that state: another process may have created the run meanwhile.
   */
  const applied = async (plan: BatchPlan | undefined): Promise<BatchResult[] | undefined> => {
    if (plan === undefined || plan.finals.size === 0) return undefined;
    const rows = await connections.run(
      async (c) =>
        (await c.query<{ run_id: string; seq: number; state: string }>(finals, [[...plan.finals.keys()]]))
          .rows,
    );
    const holding = new Set(
      rows
        .filter((row) => {
          const final = plan.finals.get(row.run_id);
          return final !== undefined && final.seq === row.seq && final.state === row.state;
        })
        .map((row) => row.run_id),
    );
    if (holding.size === 0) return undefined;
    const results = [...plan.results];
    for (const [runId, create] of plan.creates) {
      if (!holding.has(runId)) results[create.index] = { runId, ok: false, refused: "exists" };
    }
    return results;
  };

  const batch = async (writes: readonly BatchWrite[]): Promise<BatchResult[]> => {
    if (writes.length === 0) return [];
    // Creates with no idempotency key need no read: the insert itself tells which runs existed. If
    // their commands need no statement of their own either, the bulk write is the whole transaction.
    const read = writes.some((w) => w.kind === "commit" || w.idempotencyKey !== undefined);
    if (!read) {
      const plan = planBatch(writes, { runs: [], jobs: [] });
      const autocommit = plan.ordered.length === 0 && keyedOpsCommute(plan.keyed);
      return connections.transaction(
        (c) => writePlan(c, plan),
        () => applied(plan),
        { autocommit },
      );
    }
    let plan: BatchPlan | undefined;
    return connections.transaction(
      async (c) => {
        plan = undefined;
        const locked = await readLocked(c, writes);
        plan = planBatch(writes, locked);
        return writePlan(c, plan);
      },
      () => applied(plan),
    );
  };

  const appendAudit = async (runId: string, commands: readonly Command[]): Promise<void> => {
    const audits = auditCommands(commands);
    let expected: { seq: number; hash: string } | undefined;
    await connections.transaction(
      async (c) => {
        expected = undefined;
        const head = (await c.query<RunHeadRow>({ name: "charter_lock_run", text: headSql, values: [runId] }))
          .rows[0];
        if (head === undefined) throw new Error(`appendAudit: no run ${runId}`);
        let auditHead = chainHead(head);
        const rows = [];
        for (const command of audits) {
          const chained = chainAudit(runId, auditHead, command);
          rows.push(chained.row);
          auditHead = chained.head;
        }
        if (auditHead !== undefined && rows.length > 0) {
          expected = auditHead;
          await c.query(appendSql, [JSON.stringify(rows), runId, auditHead.seq, auditHead.hash]);
        }
        return true;
      },
      // After a lost COMMIT: applied if the run's chain head is the one this append computed.
      async () => {
        const wanted = expected;
        if (wanted === undefined) return true; // nothing was written: nothing to lose
        const head = await connections.run(
          async (c) =>
            (
              await c.query<RunHeadRow>(`SELECT audit_seq, audit_hash FROM ${t.runs} WHERE run_id = $1`, [
                runId,
              ])
            ).rows[0],
        );
        return head?.audit_seq === wanted.seq && head.audit_hash === wanted.hash ? true : undefined;
      },
    );
  };

  return { batch, appendAudit };
}

function countCompleted(plan: BatchPlan): number {
  return plan.keyed.filter((op) => op.table === "jobs" && op.kind === "delete").length;
}
