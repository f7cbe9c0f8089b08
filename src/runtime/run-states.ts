/**
 * The runs this process is writing: for each, the state it last wrote or is writing now, and a
 * lock that makes its transitions of one run follow one another.
 *
 * That lets transitions of one run join the same batch: the second is computed on the first's
 * state while the first is still being committed (nobody has been told about either yet), and
 * names the first's write as its base. If the first is refused, so is the second (by the store in
 * the same batch, by the commit queue across batches: a seq alone could match another writer's
 * state), and both are computed again from the store. A state here may also be stale because another process wrote the
 * run: the commit's seq check refuses it, and the retry reads the store. So this is only ever a
 * guess that saves a read; the store decides.
 */
import type { RunState } from "../engine/state.js";
import type { CommitTicket } from "./commit-queue.js";

/** Runs remembered at most; the least recently written are forgotten first. */
export const MAX_REMEMBERED_RUNS = 10_000;

/** A remembered state, with the ticket of its write while that write may still be pending. */
export interface Remembered {
  readonly state: RunState;
  readonly ticket?: CommitTicket;
}

export interface RunStates {
  /** The state this process last wrote (or is writing) for the run, if remembered. */
  latest(runId: string): Remembered | undefined;
  /** Remember a state being written (its commit `ticket`), or written; ended runs are forgotten. */
  writing(state: RunState, ticket?: CommitTicket): void;
  /** A state read from the store: replaces a remembered one that it is newer than. */
  read(state: RunState): void;
  /** Forget a state whose commit was refused (unless a later one replaced it already). */
  refused(state: RunState): void;
  /** Run `compute` after every earlier `compute` of this run in this process has returned. */
  serially<T>(runId: string, compute: () => Promise<T>): Promise<T>;
}

export function createRunStates(max = MAX_REMEMBERED_RUNS): RunStates {
  const states = new Map<string, Remembered>();
  const tails = new Map<string, Promise<void>>();
  return {
    latest: (runId) => states.get(runId),
    writing(state, ticket) {
      states.delete(state.runId);
      if (state.status !== "running") return;
      states.set(state.runId, ticket ? { state, ticket } : { state });
      if (states.size > max) states.delete(states.keys().next().value!);
    },
    read(state) {
      const remembered = states.get(state.runId);
      if (remembered === undefined || remembered.state.seq >= state.seq) return;
      if (state.status === "running") states.set(state.runId, { state });
      else states.delete(state.runId);
    },
    refused(state) {
      if (states.get(state.runId)?.state === state) states.delete(state.runId);
    },
    async serially(runId, compute) {
      const before = tails.get(runId);
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = before ? before.then(() => mine) : mine;
      tails.set(runId, tail);
      if (before) await before;
      try {
        return await compute();
      } finally {
        release();
        if (tails.get(runId) === tail) tails.delete(runId);
      }
    },
  };
}
