/**
 * Group commit: transitions computed in the same turn of the event loop, or while the previous
 * commit was in flight, are written by ONE `commitBatch` (one transaction: one fsync on SQLite, a
 * few round trips on PostgreSQL). That is safe because none of them has been acknowledged yet: no
 * caller has been answered, no job of theirs has run, until the batch holding them commits. Each
 * write is still checked on its own (seq, lease), so batching never changes what commits.
 *
 * A batch that throws (a store failure, or a caller mistake in one write) is split: each write is
 * committed alone, so only the writes that fail on their own reject.
 */
import type { BatchResult, BatchWrite, Store } from "../store/store.js";

/** Writes per batch at most: bounds one transaction's size and the wait of the last write in it. */
export const MAX_BATCH = 256;

export interface CommitQueue {
  /** Resolves once the transaction holding this write has committed (or refused it). */
  submit(write: BatchWrite): Promise<BatchResult>;
}

interface Pending {
  readonly write: BatchWrite;
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
    submit(write) {
      return new Promise<BatchResult>((resolve, reject) => {
        queue.push({ write, resolve, reject });
        // The first write of a batch waits for the end of this turn, so that every transition the
        // turn computes joins it; writes arriving during a flush join the next batch.
        if (!flushing && queue.length === 1) {
          flushing = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}

async function commit(store: Store, batch: readonly Pending[]): Promise<void> {
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
