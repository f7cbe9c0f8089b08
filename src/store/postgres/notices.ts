/**
 * Notices from other processes, over LISTEN/NOTIFY. Commits send them inside their transaction
 * (PostgreSQL delivers them at COMMIT, and drops them on ROLLBACK): "work" when a batch added a job
 * nobody holds or a timer, "ended:<runId>" per run a batch ended. The store listens on ONE
 * dedicated connection outside the pool, opened when the first listener arrives. When it drops, it
 * is opened again with backoff; every time it (re)starts listening it tells the listeners so
 * ("listening"), since notices sent while it was away are lost and whoever waits should look.
 */
import pg from "pg";
import type { ClientConfig } from "pg";
import type { StoreNotice } from "../store.js";
import { quoteIdentifier } from "./identifiers.js";

export const WORK_PAYLOAD = "work";
export const ENDED_PREFIX = "ended:";

export function parseNotice(payload: string | undefined): StoreNotice | undefined {
  if (payload === WORK_PAYLOAD) return { kind: "work" };
  if (payload?.startsWith(ENDED_PREFIX))
    return { kind: "run-ended", runId: payload.slice(ENDED_PREFIX.length) };
  return undefined;
}

export interface NoticeListener {
  add(listener: (notice: StoreNotice) => void): () => void;
  /** @internal For tests: resolves once LISTEN is in place (again). */
  listening(): Promise<void>;
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 5000;

export function noticeListener(config: ClientConfig, channel: string): NoticeListener {
  const listeners = new Set<(notice: StoreNotice) => void>();
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;
  let ready = deferred();
  let isReady = false;

  const emit = (notice: StoreNotice) => {
    for (const listener of [...listeners]) {
      try {
        listener(notice);
      } catch {
        // One listener's failure must not keep the notice from the others.
      }
    }
  };

  const dropped = (lost: pg.Client) => {
    if (client !== lost) return;
    client = undefined;
    lost.removeAllListeners("notification");
    lost.on("error", () => {}); // late errors of the discarded connection
    lost.end().catch(() => {});
    if (isReady) {
      isReady = false;
      ready = deferred();
    }
    schedule();
  };

  const schedule = () => {
    if (closed || retryTimer !== undefined) return;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures) * (0.5 + Math.random());
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
  };

  const connect = async () => {
    if (closed || client !== undefined) return;
    const next = new pg.Client(config);
    client = next;
    next.on("error", () => dropped(next));
    next.on("end", () => dropped(next));
    next.on("notification", (message) => {
      if (message.channel !== channel) return;
      const notice = parseNotice(message.payload);
      if (notice !== undefined) emit(notice);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch {
      dropped(next);
      return;
    }
    if (closed || client !== next) return;
    failures = 0;
    isReady = true;
    ready.resolve();
    emit({ kind: "listening" });
  };

  return {
    add(listener) {
      listeners.add(listener);
      if (client === undefined && retryTimer === undefined && !closed) void connect();
      return () => {
        listeners.delete(listener);
      };
    },
    listening: () => ready.promise,
    async close() {
      closed = true;
      listeners.clear();
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      const last = client;
      client = undefined;
      if (last !== undefined) {
        last.removeAllListeners();
        last.on("error", () => {});
        await last.end().catch(() => {});
      }
    },
  };

  function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve: () => void = () => {};
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }
}
