/**
 * A batch, planned in memory: the writes are checked in order against the rows the commit locked
 * (and against the writes before them in the batch), exactly as the SQLite store checks them one
 * at a time, and every row they imply is collected per table so that a few statements write them
 * all (batch-sql.ts). Nothing here touches the database: the commands whose effect depends on rows
 * only the database has (tasks, subscriptions, exceptions) become ordered operations run after the
 * bulk statement, in command order.
 */
import type { ChainHead } from "../../audit/chain.js";
import type { Command, CommandOf, CommandType } from "../../engine/commands.js";
import type { EngineEvent } from "../../engine/events.js";
import type { RunState } from "../../engine/state.js";
import { toMs } from "../shared/time.js";
import type {
  BatchResult,
  BatchWrite,
  FirstTransition,
  JobClaim,
  RefusedBecause,
  TransitionWrite,
} from "../store.js";
import { chainAudit } from "../shared/audit-rows.js";
import { claimMs, jobRow } from "../shared/jobs.js";
import type { ClaimMs, JobCommand } from "../shared/jobs.js";
import { chainHead } from "../shared/mappers.js";
import { checkWrite, commandError } from "../shared/writes.js";
import { ENDED_PREFIX, WORK_PAYLOAD } from "./notices.js";
import type { Queries } from "./queries.js";
import type { AuditRow, HistoryRow, JobRow, TimerRow } from "../shared/rows.js";
import type { RunHeadRow, RunRow } from "./rows.js";
import { stateColumns } from "./runs.js";
import type { StateColumns } from "./runs.js";
import type pg from "pg";

/** A row of a run this batch creates carries `created`: written only if the run's insert was. */
export type Tagged<R> = R & { readonly created: boolean };

export type RunUpdateRow = StateColumns &
  Pick<RunRow, "run_id" | "audit_seq" | "audit_hash"> & { readonly expected_seq: number };

export type KeyedOp =
  | { readonly table: "jobs"; readonly kind: "insert"; readonly key: string; readonly row: Tagged<JobRow> }
  | { readonly table: "jobs"; readonly kind: "delete"; readonly key: string; readonly lease: number }
  | {
      readonly table: "timers";
      readonly kind: "insert";
      readonly key: string;
      readonly row: Tagged<TimerRow>;
    }
  | { readonly table: "timers"; readonly kind: "delete"; readonly key: string };

/** A command written by its own statement, in order, after the bulk statement. */
export interface OrderedOp {
  readonly runId: string;
  readonly command: Command;
  readonly run: (c: pg.ClientBase, q: Queries) => Promise<void>;
}

export interface BatchPlan {
  readonly results: BatchResult[];
  readonly runInserts: RunRow[];
  readonly runUpdates: RunUpdateRow[];
  readonly history: Tagged<HistoryRow>[];
  readonly audit: Tagged<AuditRow>[];
  readonly keyed: KeyedOp[];
  readonly ordered: OrderedOp[];
  /** Per run created here: the index of its result, and whether a later write of the batch used it. */
  readonly creates: Map<string, { readonly index: number; readonly idempotent: boolean; used: boolean }>;
  /** The notices to send: "work" once at most, then "ended:<runId>" per run that ended. */
  readonly notices: string[];
  /** The last state written per run, to tell after a lost COMMIT whether it was applied. */
  readonly finals: Map<string, { readonly seq: number; readonly state: string }>;
}

interface RunSlot {
  readonly runId: string;
  readonly workflow: string;
  readonly idempotencyKey: string | null;
  /** The seq at the locking read; a created run has none. */
  readonly lockedSeq: number | undefined;
  seq: number;
  auditHead: ChainHead | undefined;
}

interface CommandContext {
  readonly runId: string;
  readonly workflow: string;
  readonly at: number;
  readonly created: boolean;
  auditHead: ChainHead | undefined;
  readonly claim: ClaimMs | undefined;
}

const MAX_NOTICE_BYTES = 8000;

/** A new timer due within this long of its commit wakes idle workers (the default poll interval). */
export const TIMER_NOTICE_HORIZON_MS = 1000;

export function planBatch(
  writes: readonly BatchWrite[],
  locked: {
    readonly runs: readonly RunHeadRow[];
    readonly jobs: readonly { job_id: string; lease: number }[];
  },
): BatchPlan {
  const slots = new Map<string, RunSlot>();
  const byKey = new Map<string, RunSlot>();
  const keyOf = (workflow: string, key: string) => JSON.stringify([workflow, key]);
  const addSlot = (slot: RunSlot) => {
    slots.set(slot.runId, slot);
    if (slot.idempotencyKey !== null) byKey.set(keyOf(slot.workflow, slot.idempotencyKey), slot);
  };
  for (const row of locked.runs) {
    addSlot({
      runId: row.run_id,
      workflow: row.workflow,
      idempotencyKey: row.idempotency_key,
      lockedSeq: row.seq,
      seq: row.seq,
      auditHead: chainHead(row),
    });
  }
  /** Jobs by id: their current lease, or undefined once completed in this batch. */
  const jobs = new Map<string, number | undefined>(locked.jobs.map((j) => [j.job_id, j.lease]));

  const plan: BatchPlan = {
    results: [],
    runInserts: [],
    runUpdates: [],
    history: [],
    audit: [],
    keyed: [],
    ordered: [],
    creates: new Map(),
    notices: [],
    finals: new Map(),
  };
  const inserts = new Map<string, { row: RunRow }>();
  const updates = new Map<string, RunUpdateRow>();
  const ended = new Set<string>();
  let work = false;

  // A run written several times in one batch (the branches of a for_each) keeps only its last
  // state: the state is serialised once per run, at the end, not once per write.
  const lastStates = new Map<string, RunState>();
  const writeState = (slot: RunSlot, state: RunState) => {
    lastStates.set(slot.runId, state);
    const columns = stateColumns(state, "");
    const audit = { audit_seq: slot.auditHead?.seq ?? 0, audit_hash: slot.auditHead?.hash ?? null };
    const insert = inserts.get(slot.runId);
    if (insert !== undefined) {
      insert.row = { ...insert.row, ...columns, ...audit };
    } else {
      updates.set(slot.runId, {
        run_id: slot.runId,
        expected_seq: slot.lockedSeq ?? -1,
        ...columns,
        ...audit,
      });
    }
    if (state.status !== "running") ended.add(slot.runId);
  };

  const handlers: CommandHandlers = {
    "run-handler": (ctx, c) => addJob(ctx, c),
    "run-model-task": (ctx, c) => addJob(ctx, c),
    "start-timer": (ctx, c) => {
      const row = {
        timer_id: c.timerId,
        run_id: ctx.runId,
        fire_at: toMs(c.fireAt, `start-timer ${c.timerId} fireAt`),
      };
      plan.keyed.push({
        table: "timers",
        kind: "insert",
        key: c.timerId,
        row: { ...row, claimed_until: null, created: ctx.created },
      });
      // Every idle worker looks at the next timer at least once a poll interval: only a timer due
      // sooner is news. (A step's timeout timer, set at every action step, is not.)
      if (row.fire_at - ctx.at < TIMER_NOTICE_HORIZON_MS) work = true;
    },
    "cancel-timer": (_ctx, c) => plan.keyed.push({ table: "timers", kind: "delete", key: c.timerId }),
    "open-task": (ctx, c) => ordered(ctx, c, (db, q) => q.tasks.open(db, ctx.runId, ctx.workflow, c, ctx.at)),
    "update-task": (ctx, c) => ordered(ctx, c, (db, q) => q.tasks.reassign(db, c)),
    "close-task": (ctx, c) => ordered(ctx, c, (db, q) => q.tasks.close(db, c, ctx.at)),
    "subscribe-event": (ctx, c) => ordered(ctx, c, (db, q) => q.subscriptions.insert(db, ctx.runId, c)),
    "unsubscribe-event": (ctx, c) => ordered(ctx, c, (db, q) => q.subscriptions.remove(db, c.subscriptionId)),
    // The runtime creates the child run with createRun after this commit; createRun is idempotent on
    // the child's run id, so a retry after a crash creates it once. Nothing to record here.
    "start-child-run": () => {},
    // The runtime commits `run.cancelled` to the child run after this commit. Nothing to record here.
    "cancel-child-run": () => {},
    // The runtime delivers `child.ended` to the parent run after this commit. Nothing to record here.
    "notify-parent": () => {},
    "raise-exception": (ctx, c) =>
      ordered(ctx, c, (db, q) => q.exceptions.raise(db, ctx.runId, ctx.workflow, c, ctx.at)),
    "resolve-exception": (ctx, c) =>
      ordered(ctx, c, (db, q) => q.exceptions.resolve(db, ctx.runId, c.instance)),
    "append-audit": (ctx, c) => {
      const { row, head } = chainAudit(ctx.runId, ctx.auditHead, c);
      plan.audit.push({ ...row, created: ctx.created });
      ctx.auditHead = head;
    },
    // The state carries the outcome; the run row's columns are written from the state.
    "complete-run": () => {},
  };

  function addJob(ctx: CommandContext, command: JobCommand) {
    const row = jobRow(ctx.runId, command, ctx.at, ctx.claim);
    plan.keyed.push({
      table: "jobs",
      kind: "insert",
      key: row.job_id,
      row: { ...row, created: ctx.created },
    });
    jobs.set(row.job_id, row.lease);
    // A claimed job is the committing worker's: no one else needs to hear of it.
    if (ctx.claim === undefined) work = true;
  }

  function ordered(ctx: CommandContext, command: Command, run: OrderedOp["run"]) {
    plan.ordered.push({ runId: ctx.runId, command, run });
  }

  /** History, audit and command rows of a transition whose run row is written. */
  const writeEffects = (
    slot: RunSlot,
    state: RunState,
    event: EngineEvent,
    commands: readonly Command[],
    at: string,
    claim: JobClaim | undefined,
    created: boolean,
  ) => {
    plan.history.push({ run_id: slot.runId, seq: state.seq, event: JSON.stringify(event), at, created });
    const ctx: CommandContext = {
      runId: slot.runId,
      workflow: slot.workflow,
      at: toMs(at, "at"),
      created,
      auditHead: slot.auditHead,
      claim: claimMs(claim),
    };
    for (const command of commands) applyCommand(handlers, ctx, command);
    slot.auditHead = ctx.auditHead;
    slot.seq = state.seq;
    writeState(slot, state);
  };

  const create = (first: FirstTransition, index: number): BatchResult => {
    const { state } = first;
    const existing =
      slots.get(state.runId) ??
      (first.idempotencyKey === undefined
        ? undefined
        : byKey.get(keyOf(state.workflow, first.idempotencyKey)));
    if (existing !== undefined) return { runId: existing.runId, ok: false, refused: "exists" };
    const slot: RunSlot = {
      runId: state.runId,
      workflow: state.workflow,
      idempotencyKey: first.idempotencyKey ?? null,
      lockedSeq: undefined,
      seq: state.seq,
      auditHead: undefined,
    };
    addSlot(slot);
    inserts.set(state.runId, {
      row: {
        run_id: state.runId,
        workflow: state.workflow,
        version: state.version,
        initiator: state.initiator,
        started_at: toMs(state.startedAt, "state.startedAt"),
        ...stateColumns(state, ""),
        audit_seq: 0,
        audit_hash: null,
        idempotency_key: first.idempotencyKey ?? null,
      },
    });
    plan.creates.set(state.runId, { index, idempotent: first.idempotencyKey !== undefined, used: false });
    writeEffects(slot, state, first.event, first.commands, first.at, first.claimJobs, true);
    return { runId: state.runId, ok: true };
  };

  // A run with a refused write: its later writes in this batch are refused too (see store.ts).
  const refusedRuns = new Set<string>();
  const refuse = (runId: string, refused: RefusedBecause): BatchResult => {
    refusedRuns.add(runId);
    return { runId, ok: false, refused };
  };

  const commit = (write: TransitionWrite): BatchResult => {
    checkWrite(write);
    const slot = slots.get(write.runId);
    if (slot === undefined) throw new Error(`commitTransition: no run ${write.runId}`);
    // Checks first, writes after: a refused commit returns having written nothing.
    if (refusedRuns.has(write.runId)) return refuse(write.runId, "earlier-write");
    if (slot.seq !== write.expectedSeq) return refuse(write.runId, "seq");
    if (write.job) {
      if (jobs.get(write.job.jobId) !== write.job.lease) return refuse(write.runId, "lease");
      jobs.set(write.job.jobId, undefined);
      plan.keyed.push({ table: "jobs", kind: "delete", key: write.job.jobId, lease: write.job.lease });
    }
    if (write.timer) plan.keyed.push({ table: "timers", kind: "delete", key: write.timer.timerId });
    const created = plan.creates.get(write.runId);
    if (created !== undefined) created.used = true;
    writeEffects(
      slot,
      write.state,
      write.event,
      write.commands,
      write.at,
      write.claimJobs,
      created !== undefined,
    );
    return { runId: write.runId, ok: true };
  };

  writes.forEach((write, index) => {
    plan.results.push(write.kind === "create" ? create(write, index) : commit(write));
  });
  for (const [runId, state] of lastStates) {
    const text = JSON.stringify(state);
    const insert = inserts.get(runId);
    if (insert !== undefined) insert.row = { ...insert.row, state: text };
    const update = updates.get(runId);
    if (update !== undefined) updates.set(runId, { ...update, state: text });
    plan.finals.set(runId, { seq: state.seq, state: text });
  }
  plan.runInserts.push(...[...inserts.values()].map((i) => i.row));
  plan.runUpdates.push(...updates.values());
  if (work) plan.notices.push(WORK_PAYLOAD);
  for (const runId of ended) {
    const notice = `${ENDED_PREFIX}${runId}`;
    // NOTIFY refuses payloads of 8000 bytes or more (and would fail the commit): waiters poll then.
    if (Buffer.byteLength(notice, "utf8") < MAX_NOTICE_BYTES) plan.notices.push(notice);
  }
  return plan;
}

/**
 * Whether the jobs and timers of a batch may be written by one statement per table and kind: only if
 * no job or timer is touched twice (inserted then completed, started then cancelled), since the
 * statements of one bulk write see none of each other's rows and their order is not defined.
 */
export function keyedOpsCommute(ops: readonly KeyedOp[]): boolean {
  const seen = new Set<string>();
  for (const op of ops) {
    const key = `${op.table}\0${op.key}`;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

type CommandHandlers = {
  readonly [K in CommandType]: (ctx: CommandContext, command: CommandOf<K>) => void;
};

function applyCommand(handlers: CommandHandlers, ctx: CommandContext, command: Command): void {
  // The map is keyed by type, so the handler found takes exactly this command's type.
  const handler = handlers[command.type] as (ctx: CommandContext, command: Command) => void;
  try {
    handler(ctx, command);
  } catch (error) {
    throw commandError(ctx.runId, command, error);
  }
}
