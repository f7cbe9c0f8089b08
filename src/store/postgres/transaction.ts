/**
 * Every query of the store runs through `run` (one statement, no transaction) or `transaction`
 * (BEGIN ... COMMIT). Both try the whole unit again on a retryable error (retryable.ts) with a short
 * jittered backoff, on a fresh connection: a broken client is released with its error so that the
 * pool discards it instead of handing it out again.
 */
import type pg from "pg";
import { isConnectionError, isRetryable } from "./retryable.js";

export interface Connections {
  /** One unit of work outside a transaction (reads, and writes of one statement). */
  run<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /**
   * `fn` between BEGIN and COMMIT, all tried again after a retryable error. When the connection
   * breaks during COMMIT, the commit may have been applied: `ifCommitted()` then reads (on a new
   * connection, e.g. with `run`) whether it was, and returns the result to report if so (undefined
   * if not, and `fn` runs again). With `autocommit`, `fn` runs with no BEGIN and COMMIT: it must be
   * one statement, which is its own transaction (and whose reply may be lost the same way).
   */
  transaction<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    ifCommitted?: () => Promise<T | undefined>,
    options?: { readonly autocommit?: boolean },
  ): Promise<T>;
  /** @internal For tests: runs after a COMMIT succeeded; throwing here plays a COMMIT whose reply was lost. */
  afterCommit: (() => void) | undefined;
}

const BASE_DELAY_MS = 10;
const MAX_DELAY_MS = 1000;

export function connections(pool: pg.Pool, attempts: number): Connections {
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no pool listener: an `error` event (the server ended the
    // connection) would otherwise crash the process. The failing query rejects on its own.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on("error", onError);
    try {
      return await fn(client);
    } catch (error) {
      if (isConnectionError(error)) broken ??= error as Error;
      throw error;
    } finally {
      client.off("error", onError);
      if (broken !== undefined) client.on("error", () => {}); // late errors of a discarded client
      client.release(broken);
    }
  };

  const retrying = async <T>(once: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await once();
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error)) throw error;
        await sleep(backoff(attempt));
      }
    }
  };

  const self: Connections = {
    afterCommit: undefined,
    run: (fn) => retrying(() => withClient(fn)),
    transaction: <T>(
      fn: (client: pg.PoolClient) => Promise<T>,
      ifCommitted?: () => Promise<T | undefined>,
      options: { readonly autocommit?: boolean } = {},
    ) =>
      retrying(async () => {
        let committing = options.autocommit === true;
        try {
          return await withClient(async (client) => {
            if (options.autocommit) {
              const result = await fn(client);
              self.afterCommit?.();
              return result;
            }
            await client.query("BEGIN");
            let result: T;
            try {
              result = await fn(client);
            } catch (error) {
              // A broken connection has no transaction left to roll back; the pool discards it.
              if (!isConnectionError(error)) await client.query("ROLLBACK");
              throw error;
            }
            committing = true;
            await client.query("COMMIT");
            self.afterCommit?.();
            return result;
          });
        } catch (error) {
          // Whether that COMMIT was applied is unknown: ask the database before running fn again.
          if (committing && ifCommitted !== undefined && isConnectionError(error)) {
            const result = await ifCommitted();
            if (result !== undefined) return result;
          }
          throw error;
        }
      }),
  };
  return self;
}

/** 10, 20, 40 ... ms up to a second, each between half and one and a half times that. */
function backoff(attempt: number): number {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return delay * (0.5 + Math.random());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
