/**
 * What is worth another try: the one table of errors after which the store runs the whole
 * transaction again (transaction.ts). Everything else (a constraint violated, a caller's mistake, a
 * syntax error) is thrown at once.
 */

/** SQLSTATE codes: the transaction lost a race, or the connection (or the server) went away. */
export const RETRYABLE_SQLSTATES: Readonly<Record<string, string>> = {
  "40001": "serialization_failure",
  "40P01": "deadlock_detected",
  "57P01": "admin_shutdown",
  "57P02": "crash_shutdown",
  "57P03": "cannot_connect_now",
  "08000": "connection_exception",
  "08003": "connection_does_not_exist",
  "08006": "connection_failure",
  "08001": "sqlclient_unable_to_establish_sqlconnection",
  "08004": "sqlserver_rejected_establishment_of_sqlconnection",
  "53300": "too_many_connections",
};

/** Socket errors of Node.js: the connection broke, or could not be made. */
export const RETRYABLE_NODE_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
]);

/** Errors `pg` raises itself, with no code, when its connection is gone. */
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
];

/** A race the store detected itself (two creates of one run id): the next attempt sees the winner. */
export class RetryTransaction extends Error {
  override readonly name = "RetryTransaction";
}

/** The races: the connection is fine, only the transaction must start again. */
const RACE_SQLSTATES = new Set(["40001", "40P01"]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The error and its causes (commands wrap the database error with their own message). */
function* chain(error: unknown): Generator<unknown> {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth += 1) {
    yield e;
    e = (e as { cause?: unknown }).cause;
  }
}

export function isRetryable(error: unknown): boolean {
  for (const e of chain(error)) {
    if (e instanceof RetryTransaction) return true;
    const code = codeOf(e);
    if (code !== undefined && (code in RETRYABLE_SQLSTATES || RETRYABLE_NODE_CODES.has(code))) return true;
    if (isConnectionMessage(e)) return true;
  }
  return false;
}

/**
 * The connection is broken: it must not go back to the pool, and a COMMIT sent on it may or may
 * not have been applied.
 */
export function isConnectionError(error: unknown): boolean {
  for (const e of chain(error)) {
    const code = codeOf(e);
    if (code !== undefined && RACE_SQLSTATES.has(code)) return false;
    if (code !== undefined && (code in RETRYABLE_SQLSTATES || RETRYABLE_NODE_CODES.has(code))) return true;
    if (isConnectionMessage(e)) return true;
  }
  return false;
}

function isConnectionMessage(error: unknown): boolean {
  const message = error instanceof Error ? error.message : undefined;
  return message !== undefined && CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
}
