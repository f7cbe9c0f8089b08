/** Options of the PostgreSQL store: what users pass, checked and frozen by `resolvePostgresStoreOptions`. */
import { invalidOption } from "../shared/options.js";

export interface PostgresStoreOptions {
  /** Where the database is, e.g. `postgres://charter@db.internal:5432/charter`. */
  readonly connectionString: string;
  /**
   * The schema that holds Charter's tables; created with its tables if missing. Any name: it is
   * always quoted, so `Charter "Ops"-1` is fine. Names starting with `pg_` are PostgreSQL's own.
   * @default "charter"
   */
  readonly schema?: string;
  /**
   * The most connections the store opens for its queries (one more is kept for LISTEN once someone
   * listens for notices).
   * @default 10
   */
  readonly poolSize?: number;
  /** The server cancels a statement that runs longer than this. Unset (or 0): no limit. */
  readonly statementTimeoutMs?: number;
  /**
   * How many times a transaction is tried in all when it fails for a reason that is worth another
   * try (a lost connection, a deadlock, a server restarting; see retryable.ts), with a short
   * jittered backoff in between.
   * @default 8
   */
  readonly retry?: number;
  /** `application_name` of the store's connections, as `pg_stat_activity` shows it. */
  readonly applicationName?: string;
}

export interface ResolvedPostgresStoreOptions {
  readonly connectionString: string;
  readonly schema: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number | undefined;
  readonly retry: number;
  readonly applicationName: string;
}

export const DEFAULT_POSTGRES_STORE_OPTIONS = {
  schema: "charter",
  poolSize: 10,
  retry: 8,
  applicationName: "charter",
} as const;

/** PostgreSQL truncates longer identifiers silently, which would make two names the same schema. */
const MAX_IDENTIFIER_BYTES = 63;

export function resolvePostgresStoreOptions(options: PostgresStoreOptions): ResolvedPostgresStoreOptions {
  const { connectionString, statementTimeoutMs } = options;
  const schema = options.schema ?? DEFAULT_POSTGRES_STORE_OPTIONS.schema;
  const poolSize = options.poolSize ?? DEFAULT_POSTGRES_STORE_OPTIONS.poolSize;
  const retry = options.retry ?? DEFAULT_POSTGRES_STORE_OPTIONS.retry;
  const applicationName = options.applicationName ?? DEFAULT_POSTGRES_STORE_OPTIONS.applicationName;
  if (typeof connectionString !== "string" || connectionString === "") {
    invalid("connectionString", connectionString, "a PostgreSQL connection string");
  }
  if (
    typeof schema !== "string" ||
    schema === "" ||
    schema.includes("\0") ||
    Buffer.byteLength(schema, "utf8") > MAX_IDENTIFIER_BYTES ||
    /^pg_/i.test(schema)
  ) {
    invalid("schema", schema, `a name of 1 to ${MAX_IDENTIFIER_BYTES} bytes, not starting with "pg_"`);
  }
  if (!Number.isInteger(poolSize) || poolSize < 1) invalid("poolSize", poolSize, "a whole number, 1 or more");
  if (statementTimeoutMs !== undefined && (!Number.isInteger(statementTimeoutMs) || statementTimeoutMs < 0)) {
    invalid("statementTimeoutMs", statementTimeoutMs, "a whole number of milliseconds, 0 or more");
  }
  if (!Number.isInteger(retry) || retry < 1) invalid("retry", retry, "a whole number of attempts, 1 or more");
  if (typeof applicationName !== "string") invalid("applicationName", applicationName, "a string");
  return Object.freeze({
    connectionString,
    schema,
    poolSize,
    statementTimeoutMs: statementTimeoutMs === 0 ? undefined : statementTimeoutMs,
    retry,
    applicationName,
  });
}

function invalid(option: string, value: unknown, expected: string): never {
  invalidOption("PostgreSQL", option, value, expected);
}
