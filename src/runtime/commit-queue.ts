/**
 * Group commit: transitions computed in the same turn of the event loop, or while the previous
 * commit was in flight, are written by ONE `commitBatch` (one transaction: one fsync on SQLite, a
 * few round trips on PostgreSQL). That is safe because none of them has been acknowledged yet: no
 * caller has been answered, no job of theirs has run, until the batch holding them commits. Each
 * write is still checked on its own (seq, lease), so batching never changes what commits.
 *
 * A write may be computed on another write of the same run that is still pending (pipelining,
 * run-states.ts): it names that write as its base. If the base is refused, so is the write, without
 * asking the store: its seq could match a state that another process wrote meanwhile. A base in the
 * same batch is the store's to check (later writes of a run after a refused one are refused); a
 * base in an earlier batch has its result by the time this batch goes out, since batches go one at
 * a time.
 *
 * A batch that throws (a store failure, or a caller mistake in one write) is split: each write is
 * committed alone, so only the writes that fail on their own reject.
 */
import type { BatchResult, BatchWrite, Store } from "../store/store.js";

/** Writes per batch at most: bounds one transaction's size and the wait of the last write in it. */
export const MAX_BATCH = 256;

export interface CommitQueue {
  /** Queue a write, computed on `base` if given; the ticket settles once its transaction has. */
  submit(write: BatchWrite, base?: CommitTicket): CommitTicket;
}

export interface CommitTicket {
  /** Resolves once the transaction holding this write has committed (or refused it). */
  readonly done: Promise<BatchResult>;
  /** Set when `done` resolves. */
  readonly result: BatchResult | undefined;
}

interface Pending {
  readonly write: BatchWrite;
  readonly base: CommitTicket | undefined;
  readonly ticket: { done: Promise<BatchResult>; result: BatchResult | undefined };
  resolve(result: BatchResult): void;
  reject(error: unknown): void;
}

export function createCommitQueue(store: Store, maxBatch = MAX_BATCH): CommitQueue {
  let queue: Pending[] = [];
  let flushing = false;

  const flush = async (): Promise<void> => {
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await commit(store, batch);
      }
    } finally {
      flushing = false;
    }
  };

  return {
    submit(write, base) {
      let settle!: Pick<Pending, "resolve" | "reject">;
      const ticket: Pending["ticket"] = {
        done: new Promise<BatchResult>((resolve, reject) => (settle = { resolve, reject })),
        result: undefined,
      };
      queue.push({
        write,
        base,
        ticket,
        resolve: (result) => {
          ticket.result = result;
          settle.resolve(result);
        },
        reject: settle.reject,
      });
      // The first write of a batch waits for the end of this turn, so that every transition the
      // turn computes joins it; writes arriving during a flush join the next batch.
      if (!flushing && queue.length === 1) {
        flushing = true;
        setImmediate(() => void flush());
      }
      return ticket;
    },
  };
}

async function commit(store: Store, queued: readonly Pending[]): Promise<void> {
  const batch: Pending[] = [];
  for (const pending of queued) {
    if (pending.base?.result?.ok === false)
      pending.resolve({ runId: runIdOf(pending.write), ok: false, refused: "earlier-write" });
    else batch.push(pending);
  }
  if (batch.length === 0) return;
  let results: BatchResult[];
  try {
    results = await store.commitBatch(batch.map((p) => p.write));
  } catch (error) {
    if (batch.length === 1) {
      batch[0]!.reject(error);
      return;
    }
    for (const pending of batch) await commit(store, [pending]);
    return;
  }
  batch.forEach((pending, i) => pending.resolve(results[i]!));
}

function runIdOf(write: BatchWrite): string {
  return write.kind === "commit" ? write.runId : write.state.runId;
}
