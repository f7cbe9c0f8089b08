/**
 * W1-W4, exactly as bench-peers/run.mjs runs them against the peers: the same sizes, the same
 * warm-ups (not timed), the same timing boundaries, and every result checked. The engine given
 * starts the runs and reads them; the workers (in this process for SQLite, worker processes for
 * PostgreSQL) run them.
 */
import type { Engine, RunView } from "../../src/runtime/engine.js";
import type { AwaitMode } from "./await.js";
import { awaitRun, awaitWorkflowDrained, withDeadline } from "./await.js";
import { WORKFLOWS } from "./charters.js";
import { now, percentile } from "./stats.js";

export const SIZES = { W1: 2000, W2: 200, W3: 500, W4: 1000, W4_FAILING: 50 } as const;
export const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 180_000);
const AS = "user:bench";

export interface W1Result {
  readonly n: number;
  readonly wall_ms: number;
  readonly submit_ms: number;
  /** "drain" only: when every start had returned. */
  readonly created_ms?: number;
  readonly wf_per_s: number;
  readonly steps_per_s: number;
}
export interface W2Result {
  readonly n: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  readonly mean_ms: number;
}
export interface W3Result {
  readonly n: number;
  readonly wall_ms: number;
  readonly children_per_s: number;
}
export interface W4Result {
  readonly n: number;
  readonly failing: number;
  readonly healthy_wall_ms: number;
  readonly healthy_wf_per_s: number;
  readonly failing_terminal_ms: number | null;
  readonly failing_terminated: number;
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

async function start(engine: Engine, workflow: string, input: number): Promise<string> {
  return (await engine.start(workflow, { input, as: AS })).runId;
}

/** The output of a root-scope step of a run. */
function outputOf(view: RunView, stepId: string): unknown {
  const key = view.state.latest["root"]?.[stepId];
  return key === undefined ? undefined : view.state.steps[key]?.output;
}

async function view(engine: Engine, runId: string): Promise<RunView> {
  const run = await engine.getRun(runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  return run;
}

/** Every run ended at `done` with input + 3 (read back from the store, in chunks, untimed). */
async function checkThreeSteps(
  engine: Engine,
  runs: readonly { runId: string; input: number }[],
): Promise<void> {
  for (let i = 0; i < runs.length; i += 200) {
    await Promise.all(
      runs.slice(i, i + 200).map(async ({ runId, input }) => {
        const run = await view(engine, runId);
        const output = outputOf(run, "s3");
        if (run.summary.status !== "completed" || run.summary.outcome !== "done" || output !== input + 3)
          throw new Error(
            `run ${runId} (input ${input}): ${run.summary.status}/${run.summary.outcome ?? "-"}, got ${String(output)}, expected ${input + 3}`,
          );
      }),
    );
  }
}

/** Start `inputs` at once (all calls issued before any is awaited), as the peers' loops do. */
function startAll(engine: Engine, workflow: string, inputs: readonly number[]): Promise<Run[]> {
  return Promise.all(inputs.map(async (input) => ({ runId: await start(engine, workflow, input), input })));
}

interface Run {
  readonly runId: string;
  readonly input: number;
}

/**
 * Runs started at once, then awaited (see AwaitMode): `started` resolves when every start has
 * returned; `ended` with the time (performance.now) the last run was seen to end.
 */
function startAndAwait(
  engine: Engine,
  workflow: string,
  inputs: readonly number[],
  mode: AwaitMode,
  deadlineMs: number,
): { started: Promise<Run[]>; ended: Promise<number> } {
  if (mode === "drain") {
    const started = startAll(engine, workflow, inputs);
    return { started, ended: started.then(() => awaitWorkflowDrained(engine, workflow, deadlineMs)) };
  }
  let last = 0;
  const runs = inputs.map(async (input) => {
    const runId = await start(engine, workflow, input);
    return {
      runId,
      input,
      done: awaitRun(engine, runId, deadlineMs).then(() => void (last = Math.max(last, now()))),
    };
  });
  const started = Promise.all(runs);
  return {
    started: started.then((all) => all.map(({ runId, input }) => ({ runId, input }))),
    ended: started.then(async (all) => {
      await Promise.all(all.map((r) => r.done));
      return last;
    }),
  };
}

async function warmUp(engine: Engine, count: number, mode: AwaitMode): Promise<void> {
  const { started, ended } = startAndAwait(
    engine,
    WORKFLOWS.three,
    range(count, 1_000_000),
    mode,
    DEADLINE_MS,
  );
  const runs = await started;
  await ended;
  await checkThreeSteps(engine, runs);
}

export async function w1(engine: Engine, mode: AwaitMode, n: number = SIZES.W1): Promise<W1Result> {
  await warmUp(engine, 20, mode);
  const t0 = now();
  const { started, ended } = startAndAwait(engine, WORKFLOWS.three, range(n), mode, DEADLINE_MS);
  const submitted = now();
  const runs = await withDeadline(started, DEADLINE_MS, "W1 starts");
  const created = now();
  const wall = (await withDeadline(ended, DEADLINE_MS, "W1 runs")) - t0;
  await checkThreeSteps(engine, runs);
  return {
    n,
    wall_ms: wall,
    submit_ms: submitted - t0,
    ...(mode === "drain" ? { created_ms: created - t0 } : {}),
    wf_per_s: n / (wall / 1000),
    steps_per_s: (3 * n) / (wall / 1000),
  };
}

export async function w2(engine: Engine, n = SIZES.W2): Promise<W2Result> {
  for (let i = 0; i < 10; i++) {
    const runId = await start(engine, WORKFLOWS.three, 2_000_000 + i);
    await awaitRun(engine, runId, 30_000);
  }
  const latencies: number[] = [];
  const runs: { runId: string; input: number }[] = [];
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const t = now();
    const runId = await start(engine, WORKFLOWS.three, i);
    await awaitRun(engine, runId, 30_000);
    latencies.push(now() - t);
    runs.push({ runId, input: i });
    if (now() - t0 > DEADLINE_MS) break;
  }
  await checkThreeSteps(engine, runs);
  latencies.sort((a, b) => a - b);
  return {
    n: latencies.length,
    p50_ms: percentile(latencies, 50),
    p90_ms: percentile(latencies, 90),
    p99_ms: percentile(latencies, 99),
    max_ms: latencies[latencies.length - 1]!,
    mean_ms: latencies.reduce((a, b) => a + b, 0) / latencies.length,
  };
}

/** One fan-out run of `n` items, read back once it ended (like the peers' getResult). */
async function fanOut(engine: Engine, n: number): Promise<RunView> {
  const runId = await start(engine, WORKFLOWS.fanOut, n);
  await awaitRun(engine, runId, DEADLINE_MS);
  return view(engine, runId);
}

/** The join's output must be n results summing to 1 + 2 + ... + n (item j gives j + 1). */
function checkFanOut(run: RunView, n: number): void {
  const output = outputOf(run, "fan");
  const sum = Array.isArray(output) ? output.reduce((a: number, b: unknown) => a + Number(b), 0) : Number.NaN;
  const expected = (n * (n + 1)) / 2;
  if (run.summary.outcome !== "done" || !Array.isArray(output) || output.length !== n || sum !== expected)
    throw new Error(
      `fan-out ${run.summary.runId}: ${run.summary.status}/${run.summary.outcome ?? "-"}, sum ${sum} != ${expected}`,
    );
}

export async function w3(engine: Engine, n = SIZES.W3): Promise<W3Result> {
  checkFanOut(await fanOut(engine, 10), 10);
  const t0 = now();
  const run = await fanOut(engine, n);
  const wall = now() - t0;
  checkFanOut(run, n);
  return { n, wall_ms: wall, children_per_s: n / (wall / 1000) };
}

export async function w4(
  engine: Engine,
  mode: AwaitMode,
  n: number = SIZES.W4,
  failingCount: number = SIZES.W4_FAILING,
): Promise<W4Result> {
  await warmUp(engine, 20, mode);
  const t0 = now();
  // The failing runs are submitted first, so that their jobs sit at the head of the line. In
  // "drain" mode the healthy and the failing runs are told apart by their workflow.
  const failing = startAndAwait(
    engine,
    WORKFLOWS.failing,
    range(failingCount, 500_000),
    mode,
    60_000 + DEADLINE_MS,
  );
  const healthy = startAndAwait(engine, WORKFLOWS.three, range(n), mode, DEADLINE_MS);
  const healthyRuns = await withDeadline(healthy.started, DEADLINE_MS, "W4 healthy starts");
  const healthyWall = (await withDeadline(healthy.ended, DEADLINE_MS, "W4 healthy runs")) - t0;
  let failingWall: number | null = null;
  try {
    failingWall = (await withDeadline(failing.ended, 60_000, "W4 failing runs")) - t0;
  } catch {
    // reported as null, like the peers
  }
  await checkThreeSteps(engine, healthyRuns);
  let failingTerminated = 0;
  for (const { runId } of await failing.started) {
    const run = await view(engine, runId);
    const key = run.state.latest["root"]?.["s2"];
    const attempts = key === undefined ? 0 : (run.state.steps[key]?.attempt ?? 0);
    if (run.summary.status === "completed") {
      if (run.summary.outcome !== "failed" || attempts !== 3)
        throw new Error(
          `failing run ${runId}: outcome ${run.summary.outcome ?? "-"} after ${attempts} attempts`,
        );
      failingTerminated++;
    }
  }
  return {
    n,
    failing: failingCount,
    healthy_wall_ms: healthyWall,
    healthy_wf_per_s: n / (healthyWall / 1000),
    failing_terminal_ms: failingWall,
    failing_terminated: failingTerminated,
  };
}
