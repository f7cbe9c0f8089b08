/** Options of the SQLite store: what users pass, checked and frozen by `resolveSqliteStoreOptions`. */
import { invalidOption } from "../shared/options.js";

export const SYNCHRONOUS_MODES = ["FULL", "NORMAL"] as const;
export type SynchronousMode = (typeof SYNCHRONOUS_MODES)[number];

export interface SqliteStoreOptions {
  /** The database file; created with its schema if missing. `":memory:"` is for tests only (no WAL). */
  readonly path: string;
  /**
   * `FULL` syncs the WAL at every commit: a committed transition survives a power cut. `NORMAL` is
   * faster and survives a process crash, but a power cut may lose the last commits.
   * @default "FULL"
   */
  readonly synchronous?: SynchronousMode;
  /**
   * How long a write waits for another connection's write lock before failing with SQLITE_BUSY.
   * @default 5000
   */
  readonly busyTimeoutMs?: number;
}

export interface ResolvedSqliteStoreOptions {
  readonly path: string;
  readonly synchronous: SynchronousMode;
  readonly busyTimeoutMs: number;
}

export const DEFAULT_SQLITE_STORE_OPTIONS = { synchronous: "FULL", busyTimeoutMs: 5000 } as const;

export function resolveSqliteStoreOptions(options: SqliteStoreOptions): ResolvedSqliteStoreOptions {
  const { path } = options;
  const synchronous = options.synchronous ?? DEFAULT_SQLITE_STORE_OPTIONS.synchronous;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_SQLITE_STORE_OPTIONS.busyTimeoutMs;
  if (typeof path !== "string" || path === "") invalid("path", path, "a file path");
  if (!SYNCHRONOUS_MODES.includes(synchronous)) invalid("synchronous", synchronous, `"FULL" or "NORMAL"`);
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    invalid("busyTimeoutMs", busyTimeoutMs, "a whole number of milliseconds, 0 or more");
  }
  return Object.freeze({ path, synchronous, busyTimeoutMs });
}

function invalid(option: string, value: unknown, expected: string): never {
  invalidOption("SQLite", option, value, expected);
}
