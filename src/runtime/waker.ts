/**
 * Wakes a waiting worker loop early: when this process commits new work (jobs, timers) or a job
 * finishes and frees a slot. A notice with no one waiting is kept, so a wake is never lost between
 * "nothing to do" and "start waiting".
 */
export interface Waker {
  notify(): void;
  /** Resolves after `ms` (real time), on a notice, or when `signal` aborts, whichever comes first. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
}

export function createWaker(): Waker {
  let pending = false;
  const listeners = new Set<() => void>();
  return {
    notify() {
      if (listeners.size === 0) pending = true;
      for (const listener of [...listeners]) listener();
    },
    wait(ms, signal) {
      if (pending || signal.aborted) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(done);
          signal.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, ms));
        listeners.add(done);
        signal.addEventListener("abort", done, { once: true });
      });
    },
  };
}
