/**
 * The crash test, shared by test/crash/*.test.ts (short) and scripts/crash-test.ts (full): start N
 * runs on a store (a SQLite file, or a PostgreSQL database and schema: targets.ts), run worker
 * processes and SIGKILL them at random moments (real time: this is a crash test, not a unit test),
 * restart them, optionally cut every PostgreSQL connection or restart the server meanwhile
 * (faults.ts), wait until every run has ended, then check that
 *
 * - every run reached its outcome (orders `fulfilled`, their receipt children `sent`);
 * - every run's history has seq 1, 2, 3, ... with no gap or duplicate, and no job result, timer or
 *   child result was applied twice (no transition happened twice);
 * - every action step's side effect was applied exactly once for its idempotency key, and executed
 *   at least once (more after a kill: handlers are at least once);
 * - every audit chain verifies, and no job or timer is left behind;
 * - no worker process exited unless the test killed it (a lost connection needs no restart), and
 *   on PostgreSQL every worker listens for notices again after the faults.
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
import type { Store } from "../../src/store/store.js";
import { CRASH_ORDER, CRASH_RECEIPT } from "./charters.js";
import { FaultInjector } from "./faults.js";
import type { FaultOptions } from "./faults.js";
import { openTarget, persist } from "./targets.js";
import type { StoreTarget, StoreTargetSpec } from "./targets.js";
import type { WorkerOptions } from "./worker.js";

export interface CrashOptions {
  readonly runs: number;
  readonly kills: number;
  /** Worker processes at a time. @default 1 */
  readonly workers?: number;
  /** Where the runs live. @default a SQLite file in a temporary folder */
  readonly store?: StoreTargetSpec;
  /** Connection faults to inject while the runs execute (PostgreSQL only). @default none */
  readonly faults?: FaultOptions;
  /** How the worker processes work (poll interval, lease, overstays: worker.ts). */
  readonly worker?: WorkerOptions;
  /**
   * Before a kill, wait a random time in this range (ms, real time), then until the victim holds a
   * lease (at most a second), then a few random ms more. @default [0, 100]
   */
  readonly lifeMs?: readonly [number, number];
  /**
   * Start no run while more than this many runs (orders and receipts) are running, so that jobs do
   * not queue longer than the steps' 5 s timeout (a backlog of thousands of runs would time out
   * every attempt until the retries ran out). @default no limit
   */
  readonly maxRunning?: number;
  /** Give up waiting for the runs to end after this long. @default 120000 */
  readonly deadlineMs?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export interface CrashSummary {
  readonly store: StoreTargetSpec["kind"];
  readonly runs: number;
  readonly childRuns: number;
  readonly kills: number;
  /** Jobs the killed workers held leases on when they died: work that had to be taken over. */
  readonly jobsHeldAtKill: number;
  readonly workerStarts: number;
  /** Worker processes that exited without being killed by the test (a crash, or a lost connection). */
  readonly workerExits: number;
  /** Error lines the worker processes logged (e.g. "worker round failed" while the server was away). */
  readonly workerErrors: number;
  /** Those errors by message, most frequent first. */
  readonly workerErrorMessages: readonly (readonly [string, number])[];
  /** Termination rounds and server restarts injected. */
  readonly connectionFaults: number;
  readonly connectionsTerminated: number;
  /** Worker processes listening for notices when the runs had ended (PostgreSQL; undefined on SQLite). */
  readonly listeningAtEnd: number | undefined;
  readonly transitions: number;
  /** `timer.fired` events applied (retry backoffs), each checked to be applied once. */
  readonly timersFired: number;
  readonly actionSteps: number;
  readonly executions: number;
  /** Executions beyond the first per key: retries after a failure, and handlers run again after a kill. */
  readonly reExecutions: number;
  readonly appliedEffects: number;
  readonly retriesAfterFailure: number;
  /** Handlers that kept running past their lease on purpose (worker option `overstayEvery`). */
  readonly overstays: number;
  /** Job results of a worker whose lease had been taken over, refused by the store: commits and completions. */
  readonly staleCommitsRefused: number;
  readonly staleCompletionsRefused: number;
  readonly jobsLeft: number;
  readonly timersLeft: number;
  readonly seconds: number;
  readonly problems: readonly string[];
}

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export async function runCrashTest(options: CrashOptions): Promise<CrashSummary> {
  const began = Date.now();
  const log = options.log ?? (() => {});
  const random = mulberry32(options.seed ?? 1);
  const dir = mkdtempSync(path.join(tmpdir(), "charter-crash-"));
  const effectsFile = path.join(dir, "effects.db");
  const spec = options.store ?? { kind: "sqlite" };
  const target = openTarget(spec, dir);
  let engine: Engine | undefined;
  const workerOptions: WorkerOptions = {
    pollIntervalMs: spec.kind === "postgres" ? 200 : 20,
    ...options.worker,
  };
  const pool = new WorkerPool(target, effectsFile, workerOptions, log);
  const faults = new FaultInjector(
    spec.kind === "postgres" ? spec.url : "",
    spec.kind === "postgres" ? (options.faults ?? {}) : {},
    random,
    log,
  );
  try {
    const store = await target.openStore();
    engine = createEngine({ store, logger: { warn: () => {}, error: (_f, m) => log(`main: ${m}`) } });
    for (const text of [CRASH_RECEIPT, CRASH_ORDER]) {
      const { charter } = loadCharter(text, "crash.yaml");
      await engine.deploy(charter!, text);
    }
    // Runs start in batches between the kills, so that every kill lands in the middle of work.
    const batches = options.kills + 1;
    let started = 0;
    const startBatch = async (batch: number) => {
      const until = Math.round((options.runs * (batch + 1)) / batches);
      // A start the faults interrupt is started again: its idempotency key makes that safe.
      for (; started < until; started++) {
        if (started % 10 === 0) await throttle(target, options.maxRunning ?? Infinity);
        await persist(() =>
          engine!.start("crash-order", {
            input: { n: started },
            as: "user:crash-test",
            idempotencyKey: `order-${started}`,
          }),
        );
      }
    };
    const workers = options.workers ?? 1;
    const [minWait, maxWait] = options.lifeMs ?? [0, 100];
    for (let kill = 1; kill <= options.kills + 1; kill++) {
      await pool.topUp(workers);
      faults.start();
      await startBatch(kill - 1);
      if (kill > options.kills) break;
      await delay(minWait + random() * (maxWait - minWait));
      const running = await target.countRunning();
      const held = await pool.killOne(Math.floor(random() * workers), 1000, random);
      log(`kill ${kill}/${options.kills}: ${running} runs were running; the killed worker held ${held} jobs`);
    }
    try {
      await waitForRuns(target, pool, workers, options.deadlineMs ?? 120_000, log);
    } catch (error) {
      await describeStuckRuns(engine, store, target, log).catch((e: Error) => log(`describe: ${e.message}`));
      throw error;
    }
    await faults.stop();
    const { listening, problems: notListening } = await waitForListeners(target, pool.size);
    await pool.stopAll();
    const checked = await check(engine, store, target, effectsFile);
    const errors = [...pool.errorMessages].sort((a, b) => b[1] - a[1]);
    return {
      ...checked,
      store: spec.kind,
      kills: pool.kills,
      jobsHeldAtKill: pool.heldAtKill,
      workerStarts: pool.starts,
      workerExits: pool.unexpectedExits,
      workerErrors: errors.reduce((sum, [, n]) => sum + n, 0),
      workerErrorMessages: errors,
      connectionFaults: faults.faults,
      connectionsTerminated: faults.connectionsTerminated,
      listeningAtEnd: listening,
      seconds: Math.round((Date.now() - began) / 100) / 10,
      problems: [...faults.problems, ...pool.problems, ...notListening, ...checked.problems],
    };
  } finally {
    await faults.stop();
    await pool.stopAll(true);
    await engine?.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Checked = Omit<
  CrashSummary,
  | "store"
  | "kills"
  | "jobsHeldAtKill"
  | "workerStarts"
  | "workerExits"
  | "workerErrors"
  | "workerErrorMessages"
  | "connectionFaults"
  | "connectionsTerminated"
  | "listeningAtEnd"
  | "seconds"
>;

async function check(
  engine: Engine,
  store: Store,
  target: StoreTarget,
  effectsFile: string,
): Promise<Checked> {
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
  const overstays = (effects.prepare("SELECT count(*) AS n FROM overstays").get() as { n: number }).n;
  const stale = new Map(
    (
      effects.prepare("SELECT kind, count(*) AS n FROM stale GROUP BY kind").all() as {
        kind: string;
        n: number;
      }[]
    ).map((r) => [r.kind, r.n]),
  );
  effects.close();
  let transitions = 0;
  let timersFired = 0;
  let actionSteps = 0;
  let retries = 0;
  const keys = new Set<string>();
  for (const state of runs) {
    const expected = state.workflow === "crash-order" ? "fulfilled" : "sent";
    if (state.status !== "completed" || state.outcome !== expected)
      problems.push(
        `run ${state.runId} (${state.workflow}) ended ${state.status}/${state.outcome ?? "-"}, not ${expected}`,
      );
    const history = await persist(() => store.history(state.runId));
    transitions += history.length;
    timersFired += history.filter((entry) => entry.event.type === "timer.fired").length;
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
  for (const { runId, verdict } of await persist(() => engine.verifyAudit()))
    if (!verdict.ok) problems.push(`run ${runId}: audit chain broken: ${verdict.message}`);
  const left = await target.leftover();
  if (left.jobs > 0) problems.push(`${left.jobs} jobs are left in the store`);
  if (left.timers > 0) problems.push(`${left.timers} timers are left in the store`);
  const totalExecutions = [...executions.values()].reduce((a, b) => a + b, 0);
  return {
    runs: runs.filter((r) => r.workflow === "crash-order").length,
    childRuns: runs.filter((r) => r.workflow === "crash-receipt").length,
    transitions,
    timersFired,
    actionSteps,
    executions: totalExecutions,
    reExecutions: totalExecutions - executions.size,
    appliedEffects: applied.size,
    retriesAfterFailure: retries,
    overstays,
    staleCommitsRefused: stale.get("commit") ?? 0,
    staleCompletionsRefused: stale.get("complete") ?? 0,
    jobsLeft: left.jobs,
    timersLeft: left.timers,
    problems,
  };
}

/** Seq 1..n with no gap or repeat, and no job result, timer or child result applied twice. */
export function historyProblems(
  runId: string,
  history: readonly { seq: number; event: { type: string } & Record<string, unknown> }[],
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
    const page = await persist(() => engine.listRuns({ limit: 500, ...(after ? { after } : {}) }));
    for (const run of page.items) states.push((await persist(() => engine.getRun(run.runId)))!.state);
    after = page.next;
  } while (after);
  return states;
}

/**
 * After the faults, every worker listens for notices again (its LISTEN connection reconnected by
 * itself): waits up to 10 s for one LISTEN connection per worker.
 */
async function waitForListeners(
  target: StoreTarget,
  workers: number,
): Promise<{ listening: number | undefined; problems: string[] }> {
  const until = Date.now() + 10_000;
  for (;;) {
    const listening = await target.listeners();
    if (listening === undefined || listening >= workers) return { listening, problems: [] };
    if (Date.now() > until)
      return {
        listening,
        problems: [`${listening} of ${workers} worker processes listen for notices after the faults`],
      };
    await delay(100);
  }
}

/** Waits while more than `maxRunning` runs are running. */
async function throttle(target: StoreTarget, maxRunning: number): Promise<void> {
  if (maxRunning === Infinity) return;
  while ((await target.countRunning()) > maxRunning) await delay(20);
}

async function waitForRuns(
  target: StoreTarget,
  pool: WorkerPool,
  workers: number,
  deadlineMs: number,
  log: (line: string) => void,
): Promise<void> {
  const until = Date.now() + deadlineMs;
  let lastLog = Date.now();
  for (;;) {
    const running = await target.countRunning();
    if (running === 0) return;
    if (Date.now() > until) throw new Error(`${running} runs still running after ${deadlineMs} ms`);
    if (Date.now() - lastLog > 5000) {
      log(`waiting: ${running} runs still running`);
      lastLog = Date.now();
    }
    // A worker that died on its own is a problem (reported), but the runs still need workers.
    await pool.topUp(workers);
    await delay(target.kind === "postgres" ? 100 : 50);
  }
}

/** What the runs that did not end are waiting for: their steps, last events, jobs and timers. */
async function describeStuckRuns(
  engine: Engine,
  store: Store,
  target: StoreTarget,
  log: (line: string) => void,
) {
  const page = await engine.listRuns({ status: "running", limit: 5 });
  for (const { runId } of page.items) {
    const state = (await engine.getRun(runId))!.state;
    const steps = Object.values(state.steps)
      .map((i) => `${i.stepId}:${i.status}#${i.attempt}`)
      .join(" ");
    const last = (await store.history(runId)).slice(-3).map((e) => `${e.seq} ${JSON.stringify(e.event)}`);
    log(`stuck ${runId} (${state.workflow}, seq ${state.seq}): ${steps}`);
    for (const line of last) log(`  event ${line.slice(0, 300)}`);
    for (const row of await target.workOf(runId)) log(`  row ${JSON.stringify(row).slice(0, 400)}`);
  }
}

interface LiveWorker {
  readonly id: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly stderr: string[];
  /** Set when the test kills or stops it: any other exit is unexpected. */
  expected: boolean;
}

/** Worker processes: started with tsx, killed with SIGKILL, stopped with SIGTERM. */
class WorkerPool {
  readonly problems: string[] = [];
  /** Error lines the workers logged, by message. */
  readonly errorMessages = new Map<string, number>();
  private live: LiveWorker[] = [];
  starts = 0;
  kills = 0;
  unexpectedExits = 0;
  /** Jobs the killed workers held leases on when they were killed. */
  heldAtKill = 0;

  get size(): number {
    return this.live.length;
  }

  constructor(
    private readonly target: StoreTarget,
    private readonly effectsFile: string,
    private readonly options: WorkerOptions,
    private readonly log: (line: string) => void,
  ) {}

  async topUp(workers: number): Promise<void> {
    while (this.live.length < workers) await this.start();
  }

  async start(): Promise<void> {
    const id = `crash-worker-${++this.starts}`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", WORKER, this.target.spec, this.effectsFile, id, JSON.stringify(this.options)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const stderr: string[] = [];
    let partial = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (stderr.length < 200) stderr.push(text);
      const lines = (partial + text).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        this.countError(line);
        // CRASH_WORKER_STDERR=1: every line the workers write, for debugging.
        if (process.env.CRASH_WORKER_STDERR) this.log(`${id}: ${line}`);
      }
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))),
    );
    const entry: LiveWorker = { id, child, exited, stderr, expected: false };
    this.live.push(entry);
    void exited.then((code) => {
      if (entry.expected) return;
      this.unexpectedExits++;
      this.live = this.live.filter((e) => e !== entry);
      this.problems.push(`worker ${id} exited on its own (${code}): ${stderr.join("").slice(0, 2000)}`);
    });
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
  async killOne(index: number, patienceMs: number, random: () => number): Promise<number> {
    const entry = this.live.splice(index % this.live.length, 1)[0];
    if (!entry) return 0;
    entry.expected = true;
    const holding = () => this.target.jobsHeldBy(entry.id, Date.now());
    const until = Date.now() + patienceMs;
    while (Date.now() < until && (await holding()) === 0) await delay(2);
    await delay(random() * 25);
    const held = await holding();
    entry.child.kill("SIGKILL");
    await entry.exited;
    this.kills++;
    this.heldAtKill += held;
    return held;
  }

  /** SIGTERM (or SIGKILL with `force`) every worker; one that does not stop in 15 s is killed. */
  async stopAll(force = false): Promise<void> {
    const entries = this.live.splice(0);
    for (const entry of entries) {
      entry.expected = true;
      entry.child.kill(force ? "SIGKILL" : "SIGTERM");
    }
    for (const entry of entries) {
      const timer = setTimeout(() => {
        this.problems.push(`worker ${entry.id} did not stop within 15 s of SIGTERM`);
        entry.child.kill("SIGKILL");
      }, 15_000);
      const code = await entry.exited;
      clearTimeout(timer);
      if (!force && code !== 0)
        this.problems.push(`worker ${entry.id} exited with ${code}: ${entry.stderr.join("").slice(0, 2000)}`);
    }
  }

  /** Counts a worker's error log line (JSON, from the runtime's default logger) by its message. */
  private countError(line: string): void {
    if (!line.includes('"level":"error"')) return;
    let key = line.slice(0, 200);
    try {
      const parsed = JSON.parse(line) as { msg?: string; err?: { message?: string } };
      key = `${parsed.msg ?? "?"}: ${(parsed.err?.message ?? "").slice(0, 160)}`;
    } catch {
      // not JSON: counted by its text
    }
    this.errorMessages.set(key, (this.errorMessages.get(key) ?? 0) + 1);
    if (this.errorMessages.get(key) === 1) this.log(`worker error: ${key}`);
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
