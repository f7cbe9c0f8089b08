/**
 * The lease loop: lease ready jobs -> run them -> apply each result; claim due timers -> fire them.
 * `runUntilIdle` does rounds until a round finds nothing ready at the clock's now (tests advance a
 * manual clock between calls). `runWorker` keeps going until its signal aborts, waiting between
 * rounds until the next timer, a local wake-up, or the poll interval, and never holds more than
 * `concurrency` jobs at once.
 */
import { setMaxListeners } from "node:events";
import type { Job } from "../store/store.js";
import type { Runtime } from "./context.js";
import { processJob } from "./jobs.js";
import type { LocalJobs } from "./local-jobs.js";
import { drain } from "./shutdown.js";
import { fireDueTimers } from "./timers.js";

/** Rounds of `runUntilIdle` before it gives up: a charter that makes new work forever at one instant. */
export const MAX_IDLE_ROUNDS = 10_000;
const MIN_WAIT_MS = 5;

export async function runUntilIdle(rt: Runtime): Promise<number> {
  let done = 0;
  for (let round = 0; round < MAX_IDLE_ROUNDS; round++) {
    const now = rt.config.clock.now();
    const jobs = await lease(rt, now, rt.config.concurrency);
    const results = await Promise.allSettled(jobs.map((job) => processJob(rt, job)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) throw failure.reason;
    const timers = await fireDueTimers(rt, now);
    done += jobs.length + timers;
    if (jobs.length + timers === 0) return done;
  }
  throw new Error(
    `runUntilIdle: still finding work after ${MAX_IDLE_ROUNDS} rounds at one instant; is a retry or a loop set to 0 ms?`,
  );
}

export async function runWorker(rt: Runtime, signal: AbortSignal): Promise<void> {
  const { config, waker } = rt;
  const inFlight = new Set<Promise<unknown>>();
  const force = new AbortController();
  // Every running job listens to it: as many listeners as `concurrency`, which is no leak.
  setMaxListeners(0, force.signal);
  let reserved = 0;
  // The last lease round filled every free slot: more jobs may be waiting for the next free one.
  let backlog = false;
  const free = () => config.concurrency - inFlight.size - reserved;
  const start = (job: Job) =>
    track(inFlight, runJob(rt, job, force.signal), () => {
      if (backlog) waker.notify();
    });
  // Jobs this worker's own commits create are claimed for it and run at once (local-jobs.ts).
  const local: LocalJobs = {
    reserve(count, handOff) {
      if (signal.aborted || free() + (handOff ? 1 : 0) < count) return undefined;
      reserved += count;
      return { workerId: config.workerId, until: leaseEnd(rt, config.clock.now()) };
    },
    release(count) {
      reserved -= count;
    },
    run(jobs) {
      reserved -= jobs.length;
      for (const job of jobs) start(job);
    },
  };
  if (rt.local === undefined) rt.local = local;
  // Work committed by other processes (PostgreSQL's NOTIFY) wakes this loop at once.
  rt.notices.start();
  try {
    while (!signal.aborted) {
      let progressed = false;
      try {
        const now = config.clock.now();
        const room = free();
        const jobs = room > 0 ? await lease(rt, now, room) : [];
        backlog = room === 0 || jobs.length === room;
        for (const job of jobs) start(job);
        const timers = await fireDueTimers(rt, now);
        progressed = jobs.length + timers > 0;
      } catch (error) {
        // The store is busy or down: say so, and try again after the poll interval.
        config.logger.error({ err: error, workerId: config.workerId }, "worker round failed");
      }
      if (!progressed && !signal.aborted) await waker.wait(await waitMs(rt), signal);
    }
  } finally {
    if (rt.local === local) rt.local = undefined;
  }
  await drain(inFlight, config.shutdownGraceMs, () => force.abort(new Error("the worker is shutting down")));
}

function lease(rt: Runtime, now: Date, limit: number): Promise<Job[]> {
  const { store, workerId } = rt.config;
  return store.leaseJobs(workerId, limit, now.toISOString(), leaseEnd(rt, now));
}

function leaseEnd(rt: Runtime, now: Date): string {
  return new Date(now.getTime() + rt.config.leaseMs).toISOString();
}

async function runJob(rt: Runtime, job: Job, shutdown: AbortSignal): Promise<void> {
  try {
    await processJob(rt, job, shutdown);
  } catch (error) {
    // The job stays leased: when the lease ends, this or another worker takes it again.
    rt.config.logger.error({ err: error, runId: job.runId, jobId: job.jobId }, "job failed in the runtime");
  }
}

function track(set: Set<Promise<unknown>>, promise: Promise<unknown>, onDone: () => void): void {
  const tracked = promise.finally(() => {
    set.delete(tracked);
    onDone();
  });
  set.add(tracked);
}

/** Until the next timer may be claimed, at most the poll interval (now comes from the engine's clock). */
async function waitMs(rt: Runtime): Promise<number> {
  const { store, clock, pollIntervalMs } = rt.config;
  try {
    const next = await store.nextTimerAt();
    if (next === undefined) return pollIntervalMs;
    // At least a few ms: a timer due now is claimed by the next round, not by a spinning loop.
    return Math.max(MIN_WAIT_MS, Math.min(pollIntervalMs, Date.parse(next) - clock.now().getTime()));
  } catch {
    // Could not ask: poll again after the usual interval (the next round reports the error).
    return pollIntervalMs;
  }
}
