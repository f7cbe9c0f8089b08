/**
 * The crash test, shared by test/crash/crash.test.ts (short) and scripts/crash-test.ts (full):
 * start N runs, run worker processes and SIGKILL them at random moments (real time: this is a
 * crash test, not a unit test), restart them, wait until every run has ended, then check that
 *
 * - every run reached its outcome (orders `fulfilled`, their receipt children `sent`);
 * - every run's history has seq 1, 2, 3, ... with no gap or duplicate, and no job result, timer or
 *   child result was applied twice (no transition happened twice);
 * - every action step's side effect was applied exactly once for its idempotency key, and executed
 *   at least once (more after a kill: handlers are at least once);
 * - every audit chain verifies, and no job or timer is left behind.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { loadCharter } from "../../src/definition/load.js";
import type { RunState } from "../../src/engine/state.js";
import { createEngine } from "../../src/runtime/create-engine.js";
import type { Engine } from "../../src/runtime/engine.js";
import { createSqliteStore } from "../../src/store/sqlite/index.js";
import type { SqliteStore } from "../../src/store/sqlite/index.js";
import { CRASH_ORDER, CRASH_RECEIPT } from "./charters.js";

export interface CrashOptions {
  readonly runs: number;
  readonly kills: number;
  /** Worker processes at a time. @default 1 */
  readonly workers?: number;
  /**
   * Before a kill, wait a random time in this range (ms, real time), then until the victim holds a
   * lease (at most a second), then a few random ms more. @default [0, 100]
   */
  readonly lifeMs?: readonly [number, number];
  /** Give up waiting for the runs to end after this long. @default 120000 */
  readonly deadlineMs?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export interface CrashSummary {
  readonly runs: number;
  readonly childRuns: number;
  readonly kills: number;
  /** Jobs the killed workers held leases on when they died: work that had to be taken over. */
  readonly jobsHeldAtKill: number;
  readonly workerStarts: number;
  readonly transitions: number;
  readonly actionSteps: number;
  readonly executions: number;
  /** Executions beyond the first per key: retries after a failure, and handlers run again after a kill. */
  readonly reExecutions: number;
  readonly appliedEffects: number;
  readonly retriesAfterFailure: number;
  readonly seconds: number;
  readonly problems: readonly string[];
}

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export async function runCrashTest(options: CrashOptions): Promise<CrashSummary> {
  const began = Date.now();
  const log = options.log ?? (() => {});
  const random = mulberry32(options.seed ?? 1);
  const dir = mkdtempSync(path.join(tmpdir(), "charter-crash-"));
  const storeFile = path.join(dir, "charter.db");
  const effectsFile = path.join(dir, "effects.db");
  const store = createSqliteStore({ path: storeFile, synchronous: "NORMAL" });
  const engine = createEngine({ store, logger: { warn: () => {}, error: (f, m) => log(`main: ${m}`) } });
  const pool = new WorkerPool(storeFile, effectsFile, log);
  try {
    for (const text of [CRASH_RECEIPT, CRASH_ORDER]) {
      const { charter } = loadCharter(text, "crash.yaml");
      await engine.deploy(charter!, text);
    }
    // Runs start in batches between the kills, so that every kill lands in the middle of work.
    const batches = options.kills + 1;
    let started = 0;
    const startBatch = async (batch: number) => {
      const until = Math.round((options.runs * (batch + 1)) / batches);
      for (; started < until; started++)
        await engine.start("crash-order", {
          input: { n: started },
          as: "user:crash-test",
          idempotencyKey: `order-${started}`,
        });
    };
    const workers = options.workers ?? 1;
    const [minWait, maxWait] = options.lifeMs ?? [0, 100];
    for (let kill = 1; kill <= options.kills + 1; kill++) {
      while (pool.size < workers) await pool.start();
      await startBatch(kill - 1);
      if (kill > options.kills) break;
      await delay(minWait + random() * (maxWait - minWait));
      const running = await countRunning(store);
      const held = await pool.killOne(Math.floor(random() * workers), store, 1000, random);
      log(`kill ${kill}/${options.kills}: ${running} runs were running; the killed worker held ${held} jobs`);
    }
    await waitForRuns(store, options.deadlineMs ?? 120_000);
    await pool.stopAll();
    const checked = await check(engine, store, effectsFile);
    return {
      ...checked,
      kills: pool.kills,
      jobsHeldAtKill: pool.heldAtKill,
      workerStarts: pool.starts,
      seconds: Math.round((Date.now() - began) / 100) / 10,
      problems: [...pool.problems, ...checked.problems],
    };
  } finally {
    await pool.stopAll(true);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Checked = Omit<CrashSummary, "kills" | "jobsHeldAtKill" | "workerStarts" | "seconds">;

async function check(engine: Engine, store: SqliteStore, effectsFile: string): Promise<Checked> {
  const problems: string[] = [];
  const runs = await allRuns(engine);
  const effects = new Database(effectsFile, { readonly: true });
  const executions = new Map(
    (effects.prepare("SELECT key, count FROM effects").all() as { key: string; count: number }[]).map((r) => [
      r.key,
      r.count,
    ]),
  );
  const applied = new Set(
    (effects.prepare("SELECT key FROM applied").all() as { key: string }[]).map((r) => r.key),
  );
  effects.close();
  let transitions = 0;
  let actionSteps = 0;
  let retries = 0;
  const keys = new Set<string>();
  for (const state of runs) {
    const expected = state.workflow === "crash-order" ? "fulfilled" : "sent";
    if (state.status !== "completed" || state.outcome !== expected)
      problems.push(
        `run ${state.runId} (${state.workflow}) ended ${state.status}/${state.outcome ?? "-"}, not ${expected}`,
      );
    const history = await store.history(state.runId);
    transitions += history.length;
    problems.push(...historyProblems(state.runId, history));
    for (const instance of Object.values(state.steps)) {
      if (instance.idempotencyKey === undefined) continue;
      actionSteps++;
      retries += instance.attempt - 1;
      const key = instance.idempotencyKey;
      if (keys.has(key)) problems.push(`idempotency key ${key} is used by two steps`);
      keys.add(key);
      if (!applied.has(key))
        problems.push(`run ${state.runId} step ${instance.stepId}: its effect was never applied`);
      if ((executions.get(key) ?? 0) < 1)
        problems.push(`run ${state.runId} step ${instance.stepId}: never executed`);
    }
  }
  for (const key of applied)
    if (!keys.has(key)) problems.push(`effect ${key} was applied for no step of any run`);
  for (const { runId, verdict } of await engine.verifyAudit())
    if (!verdict.ok) problems.push(`run ${runId}: audit chain broken: ${verdict.message}`);
  const db = store._internals.db;
  const left = db
    .prepare("SELECT (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM timers) AS timers")
    .get() as {
    jobs: number;
    timers: number;
  };
  if (left.jobs > 0) problems.push(`${left.jobs} jobs are left in the store`);
  const totalExecutions = [...executions.values()].reduce((a, b) => a + b, 0);
  return {
    runs: runs.filter((r) => r.workflow === "crash-order").length,
    childRuns: runs.filter((r) => r.workflow === "crash-receipt").length,
    transitions,
    actionSteps,
    executions: totalExecutions,
    reExecutions: totalExecutions - executions.size,
    appliedEffects: applied.size,
    retriesAfterFailure: retries,
    problems,
  };
}

/** Seq 1..n with no gap or repeat, and no job result, timer or child result applied twice. */
function historyProblems(
  runId: string,
  history: { seq: number; event: { type: string } & Record<string, unknown> }[],
): string[] {
  const problems: string[] = [];
  history.forEach((entry, index) => {
    if (entry.seq !== index + 1)
      problems.push(`run ${runId}: history seq ${entry.seq} at position ${index + 1}`);
  });
  const seen = new Set<string>();
  for (const { event } of history) {
    const id =
      event.type === "timer.fired"
        ? `${event.type} ${String(event.timerId)}`
        : "attempt" in event
          ? `job ${String(event.instance)} #${String(event.attempt)}`
          : event.type === "child.ended" || event.type === "child.failed"
            ? `${event.type} ${String(event.childRunId)}`
            : undefined;
    if (id === undefined) continue;
    if (seen.has(id)) problems.push(`run ${runId}: ${id} was applied twice`);
    seen.add(id);
  }
  return problems;
}

async function allRuns(engine: Engine): Promise<RunState[]> {
  const states: RunState[] = [];
  let after: string | undefined;
  do {
    const page = await engine.listRuns({ limit: 500, ...(after ? { after } : {}) });
    for (const run of page.items) states.push((await engine.getRun(run.runId))!.state);
    after = page.next;
  } while (after);
  return states;
}

async function countRunning(store: SqliteStore): Promise<number> {
  const row = store._internals.db
    .prepare("SELECT count(*) AS n FROM runs WHERE status = 'running'")
    .get() as { n: number };
  return row.n;
}

async function waitForRuns(store: SqliteStore, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while ((await countRunning(store)) > 0) {
    if (Date.now() > until) throw new Error(`runs still running after ${deadlineMs} ms`);
    await delay(50);
  }
}

/** Worker processes: started with tsx, killed with SIGKILL, stopped with SIGTERM. */
class WorkerPool {
  readonly problems: string[] = [];
  private readonly live: {
    id: string;
    child: ChildProcess;
    exited: Promise<number | null>;
    stderr: string[];
  }[] = [];
  starts = 0;
  kills = 0;

  get size(): number {
    return this.live.length;
  }
  /** Jobs the killed workers held leases on when they were killed. */
  heldAtKill = 0;

  constructor(
    private readonly storeFile: string,
    private readonly effectsFile: string,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    const id = `crash-worker-${++this.starts}`;
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, this.storeFile, this.effectsFile, id], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const entry = { id, child, exited, stderr };
    this.live.push(entry);
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.includes("ready\n")) resolve();
      });
      void exited.then((code) =>
        reject(new Error(`worker ${id} exited (${code}) before it was ready: ${stderr.join("")}`)),
      );
    });
  }

  /**
   * Kills one worker at a random moment while it works: waits (up to `patienceMs`) until it holds a
   * lease, then a random few milliseconds more. Returns how many jobs it held when it died.
   */
  async killOne(
    index: number,
    store: SqliteStore,
    patienceMs: number,
    random: () => number,
  ): Promise<number> {
    const entry = this.live.splice(index % this.live.length, 1)[0];
    if (!entry) return 0;
    const holding = store._internals.db.prepare(
      "SELECT count(*) AS n FROM jobs WHERE leased_by = ? AND leased_until > ?",
    );
    const until = Date.now() + patienceMs;
    while (Date.now() < until && (holding.get(entry.id, Date.now()) as { n: number }).n === 0) await delay(2);
    await delay(random() * 25);
    const held = holding.get(entry.id, Date.now()) as { n: number };
    entry.child.kill("SIGKILL");
    await entry.exited;
    this.kills++;
    this.heldAtKill += held.n;
    return held.n;
  }

  async stopAll(force = false): Promise<void> {
    const entries = this.live.splice(0);
    for (const entry of entries) entry.child.kill(force ? "SIGKILL" : "SIGTERM");
    for (const entry of entries) {
      const code = await entry.exited;
      if (!force && code !== 0)
        this.problems.push(`a worker exited with ${code}: ${entry.stderr.join("").slice(0, 2000)}`);
      else if (entry.stderr.length > 0) this.log(`worker stderr: ${entry.stderr.join("").slice(0, 500)}`);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A small seeded PRNG, so a failing run can be repeated with its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
