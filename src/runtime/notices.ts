/**
 * One subscription per engine to the store's notices (PostgreSQL's LISTEN/NOTIFY), started by the
 * first worker or waiter that needs it: new work wakes the local workers, an ended run wakes its
 * waiters, and "listening" (the store (re)started listening, so notices may have been lost) wakes
 * everyone to look for themselves. A CLI command that neither works nor waits opens no listener.
 */
import type { Store } from "../store/store.js";
import type { RunWaiters } from "./run-waiters.js";
import type { Waker } from "./waker.js";

export interface NoticeHub {
  /** Listen, if not yet listening. */
  start(): void;
  /**
   * True once the store has said that it listens: waiters may then rely on notices and look again
   * only rarely. A store that never says so (SQLite) is polled.
   */
  readonly live: boolean;
  stop(): void;
}

export function createNoticeHub(store: Store, waker: Waker, waiters: RunWaiters): NoticeHub {
  let unsubscribe: (() => void) | undefined;
  let live = false;
  return {
    start() {
      unsubscribe ??= store.onNotice((notice) => {
        switch (notice.kind) {
          case "work":
            waker.notify();
            return;
          case "run-ended":
            waiters.ended(notice.runId);
            return;
          case "listening":
            live = true;
            waker.notify();
            waiters.wakeAll();
        }
      });
    },
    get live() {
      return live;
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      live = false;
    },
  };
}
