/**
 * The store contract: what every Store does, run unchanged against each implementation
 * (src/store/sqlite/sqlite.test.ts now, the PostgreSQL store next), as hono runs one router suite
 * against five routers. States and commands are built by hand here: the store never calls the
 * engine, and these tests must not depend on it either.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/audit/chain.js";
import type { AuditEntry, Command, CommandMap, CommandOf, CommandType } from "../src/engine/commands.js";
import type { EngineEvent } from "../src/engine/events.js";
import { RUN_STATE_FORMAT } from "../src/engine/state.js";
import type { RunState } from "../src/engine/state.js";
import { isCharterError } from "../src/errors.js";
import type { Store } from "../src/store/store.js";

export interface StoreContractOptions {
  readonly name: string;
  /** A new, empty store for each test. */
  readonly createStore: () => Promise<Store>;
  /** Called after each test, once the store is closed. */
  readonly cleanup?: () => Promise<void>;
}

// ---- builders ----------------------------------------------------------------------------------

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
/** The time `seconds` after the test clock's start, as the runtime writes times. */
export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

export function runState(runId: string, fields: Partial<RunState> = {}): RunState {
  return {
    format: RUN_STATE_FORMAT,
    runId,
    workflow: "invoice-approval",
    version: "a".repeat(64),
    input: { vendorId: "V-1", total: 420 },
    initiator: "user:alice",
    startedAt: at(0),
    flags: [],
    status: "running",
    steps: {},
    latest: { root: {} },
    scopes: { root: { id: "root", parent: null, status: "active" } },
    parallels: {},
    active: [],
    timers: {},
    seq: 1,
    ...fields,
  };
}

/** The state after one more transition. */
export function nextState(state: RunState, fields: Partial<RunState> = {}): RunState {
  return { ...state, seq: state.seq + 1, ...fields };
}

export function command<K extends CommandType>(type: K, fields: CommandMap[K]): CommandOf<K> {
  return { type, ...fields } as unknown as CommandOf<K>;
}

export function auditCommand(action: string, fields: Partial<AuditEntry> = {}): CommandOf<"append-audit"> {
  return command("append-audit", { entry: { actor: "system", action, at: at(0), ...fields } });
}

export const runHandler = (jobId: string): CommandOf<"run-handler"> =>
  command("run-handler", {
    jobId,
    instance: "root/match-po#1",
    stepId: "match-po",
    handler: "erp.matchPurchaseOrder",
    input: { po: "PO-1" },
    attempt: 1,
    idempotencyKey: `key-${jobId}`,
    timeoutMs: 30_000,
  });

export const openTask = (taskId: string, assignees: readonly string[]): CommandOf<"open-task"> =>
  command("open-task", {
    taskId,
    instance: `root/approve#${taskId}`,
    stepId: "approve",
    kind: "approval",
    title: `Approve ${taskId}`,
    assignees,
    excluded: ["user:alice"],
    outcomes: ["approved", "rejected"],
    requireReason: true,
    dueAt: at(86_400),
    shows: { total: 420 },
  });

const started = (runId: string): EngineEvent => ({
  type: "run.started",
  runId,
  input: {},
  initiator: "user:alice",
});
const fired = (timerId: string): EngineEvent => ({ type: "timer.fired", timerId });

/** Reject with a CharterError of this code. */
async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCharterError(error) && error.code).toBe(code);
}

// ---- the contract ------------------------------------------------------------------------------

export function runStoreContract({ name, createStore, cleanup }: StoreContractOptions): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await createStore();
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    /** Create a run at seq 1 with these first commands; returns its state. */
    async function startRun(
      runId: string,
      commands: readonly Command[] = [],
      fields: Partial<RunState> = {},
    ) {
      const state = runState(runId, fields);
      const result = await store.createRun({ state, event: started(runId), commands, at: state.startedAt });
      expect(result).toEqual({ runId, created: true });
      return state;
    }

    /** Commit one transition after `state`; returns the new state, or undefined when refused. */
    async function commit(
      state: RunState,
      commands: readonly Command[],
      extra: { at?: string; job?: { jobId: string; lease: number }; timer?: { timerId: string } } = {},
      fields: Partial<RunState> = {},
    ) {
      const next = nextState(state, fields);
      const event = fired("tmr-any");
      const ok = await store.commitTransition({
        runId: state.runId,
        expectedSeq: state.seq,
        state: next,
        event,
        commands,
        at: extra.at ?? at(state.seq * 10),
        ...(extra.job ? { job: extra.job } : {}),
        ...(extra.timer ? { timer: extra.timer } : {}),
      });
      return ok ? next : undefined;
    }

    describe("charter versions", () => {
      const version = {
        workflow: "invoice-approval",
        version: "v1",
        definition: { steps: {} },
        source: "charter: 1",
      };

      it("deploying the same version twice stores it once", async () => {
        expect(await store.deployCharter({ ...version, deployedAt: at(0) })).toBe(true);
        expect(await store.deployCharter({ ...version, deployedAt: at(5) })).toBe(false);
        expect(await store.getCharterVersion("invoice-approval", "v1")).toEqual({
          ...version,
          deployedAt: at(0),
        });
        expect(await store.listCharters()).toHaveLength(1);
      });

      it("the latest version is the one deployed last", async () => {
        await store.deployCharter({ ...version, deployedAt: at(0) });
        await store.deployCharter({ ...version, version: "v2", deployedAt: at(10) });
        await store.deployCharter({ ...version, deployedAt: at(20) });
        expect((await store.latestCharterVersion("invoice-approval"))?.version).toBe("v2");
        expect(await store.latestCharterVersion("unknown")).toBeUndefined();
        expect((await store.listCharters()).map((v) => v.version)).toEqual(["v1", "v2"]);
      });
    });

    describe("runs", () => {
      it("a run is created with its first transition: state, history, audit and work", async () => {
        const state = await startRun("run-1", [
          auditCommand("run.started", { actor: "user:alice" }),
          runHandler("job-1"),
        ]);
        const stored = await store.getRun("run-1");
        expect(stored?.state).toEqual(state);
        expect(stored?.auditHead?.seq).toBe(1);
        expect(await store.history("run-1")).toEqual([
          { runId: "run-1", seq: 1, event: started("run-1"), at: at(0) },
        ]);
        expect((await store.auditTrail("run-1")).map((r) => r.action)).toEqual(["run.started"]);
        expect((await store.leaseJobs("w1", 10, at(1), at(31))).map((j) => j.jobId)).toEqual(["job-1"]);
        expect(await store.getRun("run-unknown")).toBeUndefined();
      });

      it("an idempotency key already used for the workflow returns the existing run", async () => {
        const first = runState("run-1");
        const create = (state: RunState) =>
          store.createRun({
            state,
            event: started(state.runId),
            commands: [runHandler(`job-${state.runId}`)],
            at: at(0),
            idempotencyKey: "inv-77",
          });
        expect(await create(first)).toEqual({ runId: "run-1", created: true });
        expect(await create(runState("run-2"))).toEqual({ runId: "run-1", created: false });
        expect(await store.getRun("run-2")).toBeUndefined();
        expect(await create(runState("run-3", { workflow: "vendor-check" }))).toEqual({
          runId: "run-3",
          created: true,
        });
        const jobs = await store.leaseJobs("w1", 10, at(1), at(31));
        expect(jobs.map((j) => j.jobId).sort()).toEqual(["job-run-1", "job-run-3"]);
      });

      it("creating a run whose id exists writes nothing again (a repeated start-child-run)", async () => {
        await startRun("child-1", [runHandler("job-1"), auditCommand("run.started")]);
        const again = await store.createRun({
          state: runState("child-1"),
          event: started("child-1"),
          commands: [runHandler("job-1")],
          at: at(0),
        });
        expect(again).toEqual({ runId: "child-1", created: false });
        expect(await store.history("child-1")).toHaveLength(1);
        expect(await store.auditTrail("child-1")).toHaveLength(1);
      });

      it("runs are listed newest first, filtered, in pages that neither skip nor repeat", async () => {
        for (let i = 1; i <= 5; i += 1) {
          await startRun(`run-${i}`, [], { startedAt: at(i), workflow: i % 2 === 0 ? "even" : "odd" });
        }
        const first = await store.listRuns({ limit: 2 });
        expect(first.items.map((r) => r.runId)).toEqual(["run-5", "run-4"]);
        const second = await store.listRuns({ limit: 2, after: first.next });
        const third = await store.listRuns({ limit: 2, after: second.next });
        expect([...second.items, ...third.items].map((r) => r.runId)).toEqual(["run-3", "run-2", "run-1"]);
        expect(third.next).toBeUndefined();
        expect((await store.listRuns({ workflow: "even" })).items.map((r) => r.runId)).toEqual([
          "run-4",
          "run-2",
        ]);
        expect((await store.listRuns({ status: "completed" })).items).toEqual([]);
        await expectCode(store.listRuns({ limit: 0 }), "INVALID_OPTION");
        await expectCode(store.listRuns({ after: "not-a-cursor" }), "INVALID_OPTION");
      });

      it("the run's row follows its state: status, outcome, success and end time", async () => {
        const state = await startRun("run-1");
        await commit(
          state,
          [command("complete-run", { outcome: "paid", success: true, slaBreached: false })],
          {},
          {
            status: "completed",
            outcome: "paid",
            success: true,
            endedAt: at(90),
          },
        );
        const [summary] = (await store.listRuns({ status: "completed" })).items;
        expect(summary).toEqual({
          runId: "run-1",
          workflow: "invoice-approval",
          version: "a".repeat(64),
          status: "completed",
          initiator: "user:alice",
          startedAt: at(0),
          endedAt: at(90),
          outcome: "paid",
          success: true,
          seq: 2,
        });
      });
    });

    describe("commitTransition", () => {
      it("writes the state, the history event, the audit records and every command's rows together", async () => {
        const state = await startRun("run-1", [auditCommand("run.started")]);
        const next = await commit(state, [
          command("start-timer", { timerId: "tmr-1", instance: "root/approve#1", fireAt: at(100) }),
          openTask("task-1", ["role:finance-manager"]),
          command("subscribe-event", {
            subscriptionId: "sub-1",
            instance: "root/wait#1",
            name: "invoice.paid",
            key: "INV-1",
          }),
          command("raise-exception", {
            instance: "root/pay#1",
            stepId: "pay",
            error: { code: "BANK_DOWN", message: "no route" },
          }),
          command("run-model-task", {
            jobId: "job-m",
            instance: "root/extract#1",
            stepId: "extract",
            modelTask: "extract-invoice",
            input: {},
            attempt: 1,
            timeoutMs: 60_000,
          }),
          auditCommand("approval.opened"),
          auditCommand("exception.raised"),
        ]);
        expect(next?.seq).toBe(2);
        expect((await store.getRun("run-1"))?.state).toEqual(next);
        expect((await store.history("run-1")).map((h) => h.seq)).toEqual([1, 2]);
        expect((await store.auditTrail("run-1")).map((r) => r.seq)).toEqual([1, 2, 3]);
        expect((await store.getRun("run-1"))?.auditHead?.seq).toBe(3);
        expect(await store.claimDueTimers(10, at(100), at(130))).toEqual([
          { timerId: "tmr-1", runId: "run-1", fireAt: at(100) },
        ]);
        expect(await store.getTask("task-1")).toMatchObject({
          runId: "run-1",
          workflow: "invoice-approval",
          status: "open",
          openedAt: at(10),
        });
        expect(await store.findSubscriptions("invoice.paid", "INV-1")).toEqual([
          { runId: "run-1", subscriptionId: "sub-1" },
        ]);
        expect((await store.listExceptions({})).items).toEqual([
          {
            runId: "run-1",
            workflow: "invoice-approval",
            instance: "root/pay#1",
            stepId: "pay",
            error: { code: "BANK_DOWN", message: "no route" },
            raisedAt: at(10),
          },
        ]);
        const [job] = await store.leaseJobs("w1", 10, at(11), at(41));
        expect(job).toMatchObject({
          jobId: "job-m",
          runId: "run-1",
          kind: "model",
          lease: 1,
          leasedBy: "w1",
          createdAt: at(10),
        });
        expect(job?.command.type).toBe("run-model-task");
      });

      it("refuses a stale seq and writes nothing", async () => {
        const state = await startRun("run-1", [auditCommand("run.started")]);
        expect(await commit(state, [auditCommand("first")])).toBeDefined();
        const stale = await commit(state, [
          auditCommand("second"),
          runHandler("job-2"),
          openTask("task-2", ["user:bob"]),
        ]);
        expect(stale).toBeUndefined();
        expect((await store.getRun("run-1"))?.state.seq).toBe(2);
        expect(await store.history("run-1")).toHaveLength(2);
        expect((await store.auditTrail("run-1")).map((r) => r.action)).toEqual(["run.started", "first"]);
        expect(await store.leaseJobs("w1", 10, at(50), at(80))).toEqual([]);
        expect(await store.getTask("task-2")).toBeUndefined();
      });

      it("writes nothing when a command fails part-way", async () => {
        const state = await startRun("run-1", [auditCommand("run.started")]);
        const failing = commit(state, [auditCommand("first"), runHandler("job-1"), runHandler("job-1")]);
        await expect(failing).rejects.toThrow();
        expect((await store.getRun("run-1"))?.state.seq).toBe(1);
        expect(await store.history("run-1")).toHaveLength(1);
        expect(await store.auditTrail("run-1")).toHaveLength(1);
        expect(await store.leaseJobs("w1", 10, at(50), at(80))).toEqual([]);
        expect(await commit(state, [auditCommand("first")])).toBeDefined();
      });

      it("rejects a state whose seq is not expectedSeq + 1, and an unknown run", async () => {
        const state = await startRun("run-1");
        const base = { runId: "run-1", expectedSeq: 1, event: fired("t"), commands: [], at: at(1) };
        await expect(store.commitTransition({ ...base, state })).rejects.toThrow(/seq/);
        await expect(
          store.commitTransition({ ...base, runId: "run-x", state: runState("run-x", { seq: 2 }) }),
        ).rejects.toThrow(/run-x/);
      });

      it("cancel, update, close, unsubscribe and resolve commands undo what was written", async () => {
        const state = await startRun("run-1", [
          command("start-timer", { timerId: "tmr-1", fireAt: at(100) }),
          openTask("task-1", ["user:fiona"]),
          command("subscribe-event", {
            subscriptionId: "sub-1",
            instance: "root/wait#1",
            name: "paid",
            key: "K",
          }),
          command("raise-exception", {
            instance: "root/pay#1",
            stepId: "pay",
            error: { code: "E", message: "m" },
          }),
        ]);
        await commit(state, [
          command("cancel-timer", { timerId: "tmr-1" }),
          command("update-task", { taskId: "task-1", assignees: ["user:gina"] }),
          command("close-task", { taskId: "task-1", status: "decided" }),
          command("unsubscribe-event", { subscriptionId: "sub-1" }),
          command("resolve-exception", { instance: "root/pay#1" }),
          command("start-child-run", {
            childRunId: "child-1",
            instance: "root/sub#1",
            workflow: "w",
            input: {},
            initiator: "user:alice",
          }),
          command("notify-parent", { parentRunId: "p", instance: "root/x#1", outcome: "ok", success: true }),
        ]);
        expect(await store.nextTimerAt()).toBeUndefined();
        expect(await store.getTask("task-1")).toMatchObject({
          status: "decided",
          assignees: ["user:gina"],
          closedAt: at(10),
        });
        expect(await store.findSubscriptions("paid", "K")).toEqual([]);
        expect((await store.listExceptions({})).items).toEqual([]);
        expect(await store.getRun("child-1")).toBeUndefined();
      });
    });

    describe("audit trail", () => {
      it("is chained as written and verifies against the run's head", async () => {
        const state = await startRun("run-1", [
          auditCommand("run.started", { actor: "user:alice", dataHash: "d".repeat(64) }),
        ]);
        const decided = auditCommand("approval.decided", {
          actor: "user:fiona",
          step: "approve",
          instance: "root/approve#1",
          reason: "matches the PO",
          policy: "Delegation of authority v4",
          details: { outcome: "approved", shown: ["input"] },
        });
        const call = {
          provider: "offline",
          model: "fixture",
          instructionsHash: "h",
          inputTokens: 12,
          latencyMs: 5,
        };
        await commit(state, [decided, { ...auditCommand("model.succeeded", { actor: "ai:fixture" }), call }]);
        const trail = await store.auditTrail("run-1");
        const head = (await store.getRun("run-1"))?.auditHead;
        expect(verifyAuditChain("run-1", trail, head)).toEqual({ ok: true, records: 3 });
        expect(trail[1]).toMatchObject({
          ...decided.entry,
          runId: "run-1",
          seq: 2,
          prevHash: trail[0]?.hash,
        });
        expect(trail[2]?.call).toEqual(call);
        expect(verifyAuditChain("run-1", trail.slice(0, 2), head)).toMatchObject({
          ok: false,
          problem: "truncated",
        });
      });

      it("appendAudit adds a refused decision to the chain without changing the state", async () => {
        await startRun("run-1", [auditCommand("run.started")]);
        await store.appendAudit("run-1", [
          auditCommand("decision.refused", { actor: "user:alice", reason: "not_by initiator" }),
        ]);
        const trail = await store.auditTrail("run-1");
        const stored = await store.getRun("run-1");
        expect(trail.map((r) => r.action)).toEqual(["run.started", "decision.refused"]);
        expect(stored?.state.seq).toBe(1);
        expect(verifyAuditChain("run-1", trail, stored?.auditHead)).toEqual({ ok: true, records: 2 });
        await expect(store.appendAudit("run-1", [auditCommand("x"), runHandler("job-1")])).rejects.toThrow(
          /append-audit/,
        );
        expect(await store.auditTrail("run-1")).toHaveLength(2);
      });

      it("each run has its own chain", async () => {
        await startRun("run-1", [auditCommand("a"), auditCommand("b")]);
        await startRun("run-2", [auditCommand("c")]);
        const second = await store.auditTrail("run-2");
        expect(second.map((r) => [r.seq, r.action])).toEqual([[1, "c"]]);
        expect(verifyAuditChain("run-2", second, (await store.getRun("run-2"))?.auditHead).ok).toBe(true);
      });
    });

    describe("jobs: leasing and fencing", () => {
      async function startWithJobs(count: number) {
        const jobs = Array.from({ length: count }, (_, i) => runHandler(`job-${String(i).padStart(2, "0")}`));
        return startRun("run-1", jobs);
      }

      it("two concurrent leases never return the same job", async () => {
        await startWithJobs(10);
        const leases = await Promise.all([1, 2, 3, 4].map((w) => store.leaseJobs(`w${w}`, 3, at(1), at(31))));
        const ids = leases.flat().map((j) => j.jobId);
        expect(ids).toHaveLength(10);
        expect(new Set(ids).size).toBe(10);
      });

      it("a leased job is not leased again while its lease holds", async () => {
        await startWithJobs(1);
        expect(await store.leaseJobs("w1", 5, at(1), at(31))).toHaveLength(1);
        expect(await store.leaseJobs("w2", 5, at(30), at(60))).toEqual([]);
      });

      it("an expired lease is leased again with a higher lease number", async () => {
        await startWithJobs(1);
        const [first] = await store.leaseJobs("w1", 5, at(1), at(31));
        const [second] = await store.leaseJobs("w2", 5, at(31), at(61));
        expect(first).toMatchObject({ jobId: "job-00", lease: 1, leasedBy: "w1", leasedUntil: at(31) });
        expect(second).toMatchObject({ jobId: "job-00", lease: 2, leasedBy: "w2", leasedUntil: at(61) });
      });

      it("a commit with a stale lease is refused and writes nothing; the current lease commits", async () => {
        const state = await startWithJobs(1);
        await store.leaseJobs("w1", 5, at(1), at(31));
        await store.leaseJobs("w2", 5, at(31), at(61));
        expect(
          await commit(state, [auditCommand("late")], { job: { jobId: "job-00", lease: 1 } }),
        ).toBeUndefined();
        expect((await store.getRun("run-1"))?.state.seq).toBe(1);
        expect(await store.auditTrail("run-1")).toEqual([]);
        expect(await commit(state, [], { job: { jobId: "job-00", lease: 2 } })).toBeDefined();
        expect(await store.leaseJobs("w3", 5, at(1000), at(1030))).toEqual([]);
      });

      it("a job whose result was ignored is completed with its current lease only", async () => {
        await startWithJobs(1);
        const [job] = await store.leaseJobs("w1", 5, at(1), at(31));
        expect(await store.completeJob({ jobId: "job-00", lease: 0 })).toBe(false);
        expect(await store.completeJob({ jobId: "job-00", lease: job?.lease ?? -1 })).toBe(true);
        expect(await store.leaseJobs("w2", 5, at(1000), at(1030))).toEqual([]);
      });
    });

    describe("timers", () => {
      it("a due timer is claimed once", async () => {
        await startRun("run-1", [command("start-timer", { timerId: "tmr-1", fireAt: at(60) })]);
        expect(await store.claimDueTimers(10, at(59), at(89))).toEqual([]);
        const claims = await Promise.all([1, 2, 3].map(() => store.claimDueTimers(10, at(60), at(90))));
        expect(claims.flat()).toEqual([{ timerId: "tmr-1", runId: "run-1", fireAt: at(60) }]);
        expect(await store.claimDueTimers(10, at(89), at(119))).toEqual([]);
      });

      it("a claim that ends without a commit makes the timer due again", async () => {
        await startRun("run-1", [command("start-timer", { timerId: "tmr-1", fireAt: at(60) })]);
        await store.claimDueTimers(10, at(60), at(90));
        expect(await store.nextTimerAt()).toBe(at(90));
        expect(await store.claimDueTimers(10, at(90), at(120))).toHaveLength(1);
      });

      it("the commit that applies a timer's firing deletes it; an ignored firing is deleted alone", async () => {
        const state = await startRun("run-1", [
          command("start-timer", { timerId: "tmr-1", fireAt: at(60) }),
          command("start-timer", { timerId: "tmr-2", fireAt: at(70) }),
        ]);
        expect(await store.nextTimerAt()).toBe(at(60));
        await store.claimDueTimers(10, at(60), at(90));
        await commit(state, [], { timer: { timerId: "tmr-1" } });
        expect(await store.nextTimerAt()).toBe(at(70));
        await store.deleteTimer("tmr-2");
        expect(await store.nextTimerAt()).toBeUndefined();
        expect(await store.claimDueTimers(10, at(1000), at(1030))).toEqual([]);
      });

      it("times are compared as instants, whatever their offset", async () => {
        await startRun("run-1", [
          command("start-timer", { timerId: "tmr-1", fireAt: "2025-01-06T10:01:00+01:00" }),
        ]);
        expect(await store.claimDueTimers(10, at(59), at(89))).toEqual([]);
        expect(await store.claimDueTimers(10, at(60), at(90))).toEqual([
          { timerId: "tmr-1", runId: "run-1", fireAt: at(60) },
        ]);
      });
    });

    describe("tasks: the inbox", () => {
      const fiona = ["user:fiona", "role:finance-manager"];
      /** One run per task, opened `seconds` in. */
      async function openTasks(tasks: readonly [string, readonly string[], number][]) {
        for (const [taskId, assignees, seconds] of tasks) {
          await store.createRun({
            state: runState(`run-${taskId}`),
            event: started(`run-${taskId}`),
            commands: [openTask(taskId, assignees)],
            at: at(seconds),
          });
        }
      }

      it("lists a person's tasks from their user and role assignees, each once, oldest first", async () => {
        await openTasks([
          ["t-role", ["role:finance-manager"], 3],
          ["t-user", ["user:fiona"], 1],
          ["t-both", ["user:fiona", "role:finance-manager"], 2],
          ["t-other", ["user:bob", "role:cfo"], 0],
        ]);
        const page = await store.listTasks({ assignee: fiona, status: "open" });
        expect(page.items.map((t) => t.taskId)).toEqual(["t-user", "t-both", "t-role"]);
        expect(page.next).toBeUndefined();
        expect((await store.listTasks({ assignee: ["user:bob"] })).items.map((t) => t.taskId)).toEqual([
          "t-other",
        ]);
        expect((await store.listTasks({ assignee: [] })).items).toEqual([]);
        expect((await store.listTasks({})).items).toHaveLength(4);
      });

      it("inbox pages follow each other with no gap and no repeat", async () => {
        const tasks: [string, readonly string[], number][] = Array.from({ length: 7 }, (_, i) => [
          `t-${i}`,
          i % 3 === 0 ? ["user:fiona"] : i % 3 === 1 ? ["role:finance-manager"] : fiona,
          i % 4, // equal open times: the task id breaks the tie
        ]);
        await openTasks([...tasks, ["t-bob", ["user:bob"], 1]]);
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.listTasks({
            assignee: fiona,
            status: "open",
            limit: 3,
            ...(after ? { after } : {}),
          });
          expect(page.items.length).toBeLessThanOrEqual(3);
          seen.push(...page.items.map((t) => t.taskId));
          after = page.next;
        } while (after !== undefined);
        const expected = [...tasks].sort((a, b) => a[2] - b[2] || (a[0] < b[0] ? -1 : 1)).map((t) => t[0]);
        expect(seen).toEqual(expected);
      });

      it("a closed task leaves the open inbox; a reassigned one moves to its new assignees", async () => {
        await openTasks([
          ["t-1", ["user:fiona"], 0],
          ["t-2", ["user:fiona"], 1],
        ]);
        const state = runState("run-t-1");
        await commit(state, [command("close-task", { taskId: "t-1", status: "decided" })]);
        await commit(runState("run-t-2"), [
          command("update-task", { taskId: "t-2", assignees: ["user:gina"] }),
        ]);
        expect((await store.listTasks({ assignee: fiona, status: "open" })).items).toEqual([]);
        expect(
          (await store.listTasks({ assignee: fiona, status: "decided" })).items.map((t) => t.taskId),
        ).toEqual(["t-1"]);
        expect(
          (await store.listTasks({ assignee: ["user:gina"], status: "open" })).items.map((t) => t.taskId),
        ).toEqual(["t-2"]);
        expect((await store.listTasks({ runId: "run-t-2" })).items.map((t) => t.assignees)).toEqual([
          ["user:gina"],
        ]);
      });

      it("an open task is claimed by one person at a time; a reassignment releases the claim", async () => {
        await openTasks([["t-1", ["role:finance-manager", "user:gina"], 0]]);
        expect(await store.claimTask("t-1", "user:fiona")).toBe(true);
        expect(await store.claimTask("t-1", "user:fiona")).toBe(true);
        expect(await store.claimTask("t-1", "user:bob")).toBe(false);
        expect((await store.getTask("t-1"))?.claimedBy).toBe("user:fiona");
        await commit(runState("run-t-1"), [
          command("update-task", { taskId: "t-1", assignees: ["user:gina"] }),
        ]);
        expect((await store.getTask("t-1"))?.claimedBy).toBeUndefined();
        expect(await store.claimTask("t-1", "user:gina")).toBe(true);
        await commit(runState("run-t-1", { seq: 2 }), [
          command("close-task", { taskId: "t-1", status: "expired" }),
        ]);
        expect(await store.claimTask("t-1", "user:gina")).toBe(false);
        expect(await store.claimTask("t-unknown", "user:hal")).toBe(false);
      });
    });

    describe("events and exceptions", () => {
      it("finds the runs subscribed to an event's name and key", async () => {
        const subscribe = (id: string, name: string, key: string) =>
          command("subscribe-event", { subscriptionId: id, instance: "root/wait#1", name, key });
        await startRun("run-1", [subscribe("sub-1", "invoice.paid", "INV-1")]);
        await startRun("run-2", [
          subscribe("sub-2", "invoice.paid", "INV-1"),
          subscribe("sub-3", "invoice.paid", "INV-2"),
        ]);
        await startRun("run-3", [subscribe("sub-4", "invoice.sent", "INV-1")]);
        expect(await store.findSubscriptions("invoice.paid", "INV-1")).toEqual([
          { runId: "run-1", subscriptionId: "sub-1" },
          { runId: "run-2", subscriptionId: "sub-2" },
        ]);
        expect(await store.findSubscriptions("invoice.paid", "INV-9")).toEqual([]);
      });

      it("lists the exception queue oldest first, by workflow, in pages", async () => {
        const raise = (instance: string) =>
          command("raise-exception", {
            instance,
            stepId: "pay",
            error: { code: "BANK_DOWN", message: "no route" },
          });
        for (let i = 0; i < 5; i += 1) {
          await store.createRun({
            state: runState(`run-${i}`, { workflow: i < 3 ? "payments" : "vendor-check" }),
            event: started(`run-${i}`),
            commands: [raise("root/pay#1"), raise("root/pay#2")],
            at: at(10 - i),
          });
        }
        const first = await store.listExceptions({ workflow: "payments", limit: 4 });
        const rest = await store.listExceptions({ workflow: "payments", limit: 4, after: first.next });
        const keys = [...first.items, ...rest.items].map((e) => `${e.runId} ${e.instance}`);
        expect(keys).toEqual([
          "run-2 root/pay#1",
          "run-2 root/pay#2",
          "run-1 root/pay#1",
          "run-1 root/pay#2",
          "run-0 root/pay#1",
          "run-0 root/pay#2",
        ]);
        expect(rest.next).toBeUndefined();
        expect((await store.listExceptions({})).items).toHaveLength(10);
      });
    });

    describe("commitBatch", () => {
      const create = (runId: string, commands: readonly Command[] = [], fields: Partial<RunState> = {}) => ({
        kind: "create" as const,
        state: runState(runId, fields),
        event: started(runId),
        commands,
        at: at(0),
      });
      const commitAfter = (
        state: RunState,
        commands: readonly Command[],
        extra: { job?: { jobId: string; lease: number }; fields?: Partial<RunState> } = {},
      ) => ({
        kind: "commit" as const,
        runId: state.runId,
        expectedSeq: state.seq,
        state: nextState(state, extra.fields),
        event: fired("tmr-any"),
        commands,
        at: at(state.seq * 10),
        ...(extra.job ? { job: extra.job } : {}),
      });

      it("an empty batch writes nothing and returns no results", async () => {
        expect(await store.commitBatch([])).toEqual([]);
      });

      it("creates and commits several runs in one batch, each as createRun or commitTransition would", async () => {
        const one = await startRun("run-1", [auditCommand("run.started")]);
        const results = await store.commitBatch([
          create("run-2", [auditCommand("run.started"), runHandler("job-2")]),
          commitAfter(one, [auditCommand("step.done"), openTask("task-1", ["user:fiona"])]),
          create("run-1"),
          create("run-3", [command("start-timer", { timerId: "tmr-3", fireAt: at(60) })]),
        ]);
        expect(results).toEqual([
          { runId: "run-2", ok: true },
          { runId: "run-1", ok: true },
          { runId: "run-1", ok: false, refused: "exists" },
          { runId: "run-3", ok: true },
        ]);
        expect((await store.getRun("run-1"))?.state.seq).toBe(2);
        expect(await store.history("run-1")).toHaveLength(2);
        for (const runId of ["run-1", "run-2"]) {
          const trail = await store.auditTrail(runId);
          expect(verifyAuditChain(runId, trail, (await store.getRun(runId))?.auditHead).ok).toBe(true);
        }
        expect((await store.auditTrail("run-1")).map((r) => r.action)).toEqual(["run.started", "step.done"]);
        expect((await store.getTask("task-1"))?.status).toBe("open");
        expect((await store.leaseJobs("w1", 10, at(1), at(31))).map((j) => j.jobId)).toEqual(["job-2"]);
        expect(await store.nextTimerAt()).toBe(at(60));
      });

      it("after a refused write of a run, its later writes in the batch are refused too, even at the right seq", async () => {
        const one = await startRun("run-1");
        // Another writer moves run-1 to seq 2. A write computed on a state of ours that never
        // committed expects seq 1 and is refused; the write computed on it expects seq 2, which
        // the store holds now, but from the other writer: it must be refused as well.
        const other = await commit(one, [], {}, { input: { by: "the other writer" } });
        expect(other).toBeDefined();
        const ours = nextState(one, { input: { by: "us" } });
        const results = await store.commitBatch([
          commitAfter(one, [auditCommand("ours")], { fields: { input: { by: "us" } } }),
          commitAfter(ours, [auditCommand("built on ours")]),
        ]);
        expect(results).toEqual([
          { runId: "run-1", ok: false, refused: "seq" },
          { runId: "run-1", ok: false, refused: "earlier-write" },
        ]);
        expect((await store.getRun("run-1"))?.state.seq).toBe(2);
        expect((await store.getRun("run-1"))?.state.input).toEqual(other!.input);
        expect(await store.auditTrail("run-1")).toEqual([]);
      });

      it("a stale write in the middle is refused alone; the others are written", async () => {
        const [one, two, three] = [
          await startRun("run-1"),
          await startRun("run-2", [runHandler("job-2")]),
          await startRun("run-3"),
        ];
        expect(await commit(two, [auditCommand("moved on")])).toBeDefined();
        const results = await store.commitBatch([
          commitAfter(one, [auditCommand("one")]),
          commitAfter(two, [
            auditCommand("stale"),
            runHandler("job-stale"),
            openTask("task-stale", ["user:bob"]),
          ]),
          commitAfter(three, [auditCommand("three")]),
          commitAfter(nextState(three), [auditCommand("stale lease")], { job: { jobId: "job-2", lease: 1 } }),
        ]);
        expect(results.map((r) => r.refused)).toEqual([undefined, "seq", undefined, "lease"]);
        expect((await store.getRun("run-2"))?.state.seq).toBe(2);
        expect((await store.auditTrail("run-2")).map((r) => r.action)).toEqual(["moved on"]);
        expect(await store.getTask("task-stale")).toBeUndefined();
        expect((await store.auditTrail("run-3")).map((r) => r.action)).toEqual(["three"]);
        expect((await store.getRun("run-3"))?.state.seq).toBe(2);
        expect((await store.getRun("run-1"))?.state.seq).toBe(2);
        expect((await store.leaseJobs("w1", 10, at(1), at(31))).map((j) => j.jobId)).toEqual(["job-2"]);
      });

      it("a caller mistake anywhere rolls the whole batch back", async () => {
        const one = await startRun("run-1", [auditCommand("run.started")]);
        const unknown = runState("run-x");
        await expect(
          store.commitBatch([
            commitAfter(one, [auditCommand("first"), runHandler("job-1")]),
            create("run-2", [runHandler("job-2")]),
            commitAfter(unknown, []),
          ]),
        ).rejects.toThrow(/run-x/);
        await expect(
          store.commitBatch([
            commitAfter(one, [runHandler("job-1")]),
            create("run-2", [runHandler("job-1")]),
          ]),
        ).rejects.toThrow();
        expect((await store.getRun("run-1"))?.state.seq).toBe(1);
        expect(await store.history("run-1")).toHaveLength(1);
        expect(await store.auditTrail("run-1")).toHaveLength(1);
        expect(await store.getRun("run-2")).toBeUndefined();
        expect(await store.leaseJobs("w1", 10, at(1), at(31))).toEqual([]);
      });

      it("each write sees the writes before it in the same batch", async () => {
        const claim = { workerId: "w1", until: at(30) };
        const first = runState("run-1");
        const second = nextState(first);
        const third = nextState(second);
        const results = await store.commitBatch([
          { ...create("run-1", [runHandler("job-1"), openTask("task-1", ["user:fiona"])]), claimJobs: claim },
          commitAfter(first, [command("start-timer", { timerId: "tmr-1", fireAt: at(60) })], {
            job: { jobId: "job-1", lease: 1 },
          }),
          commitAfter(second, [
            command("cancel-timer", { timerId: "tmr-1" }),
            command("close-task", { taskId: "task-1", status: "decided" }),
          ]),
          commitAfter(first, [auditCommand("stale: the seq moved on in this batch")]),
          commitAfter(third, [auditCommand("stale: job-1 was completed in this batch")], {
            job: { jobId: "job-1", lease: 1 },
          }),
          { ...create("run-a", [], { workflow: "w" }), idempotencyKey: "K" },
          { ...create("run-b", [runHandler("job-b")], { workflow: "w" }), idempotencyKey: "K" },
        ]);
        expect(results).toEqual([
          { runId: "run-1", ok: true },
          { runId: "run-1", ok: true },
          { runId: "run-1", ok: true },
          { runId: "run-1", ok: false, refused: "seq" },
          { runId: "run-1", ok: false, refused: "earlier-write" },
          { runId: "run-a", ok: true },
          { runId: "run-a", ok: false, refused: "exists" },
        ]);
        expect((await store.getRun("run-1"))?.state).toEqual(third);
        expect((await store.history("run-1")).map((h) => h.seq)).toEqual([1, 2, 3]);
        expect(await store.auditTrail("run-1")).toEqual([]);
        expect(await store.nextTimerAt()).toBeUndefined();
        expect(await store.getTask("task-1")).toMatchObject({ status: "decided" });
        expect(await store.getRun("run-b")).toBeUndefined();
        expect(await store.leaseJobs("w2", 10, at(1000), at(1030))).toEqual([]);
      });
    });

    describe("jobs claimed by the committing worker", () => {
      it("are leased to it at once (lease 1, until `until`) and leased by no one else meanwhile", async () => {
        const claimed = await store.createRun({
          state: runState("run-1"),
          event: started("run-1"),
          commands: [runHandler("job-claimed")],
          at: at(0),
          claimJobs: { workerId: "w1", until: at(30) },
        });
        expect(claimed).toEqual({ runId: "run-1", created: true });
        await startRun("run-2", [runHandler("job-free")]);
        expect((await store.leaseJobs("w2", 10, at(1), at(31))).map((j) => j.jobId)).toEqual(["job-free"]);
        expect(await store.leaseJobs("w2", 10, at(29), at(59))).toEqual([]);
        const [again] = await store.leaseJobs("w3", 10, at(30), at(60));
        expect(again).toMatchObject({ jobId: "job-claimed", lease: 2, leasedBy: "w3", leasedUntil: at(60) });
      });

      it("the claiming worker commits with lease 1; a transition's own claim works the same way", async () => {
        const state = await startRun("run-1");
        const next = nextState(state);
        expect(
          await store.commitTransition({
            runId: "run-1",
            expectedSeq: 1,
            state: next,
            event: fired("tmr-any"),
            commands: [runHandler("job-1")],
            at: at(10),
            claimJobs: { workerId: "w1", until: at(40) },
          }),
        ).toBe(true);
        expect(await store.leaseJobs("w2", 10, at(11), at(41))).toEqual([]);
        expect(await commit(next, [], { job: { jobId: "job-1", lease: 1 } })).toBeDefined();
        expect(await store.leaseJobs("w2", 10, at(1000), at(1030))).toEqual([]);
      });
    });
  });
}
