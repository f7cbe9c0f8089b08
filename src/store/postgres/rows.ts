/**
 * The run rows of this store (PostgreSQL has booleans). The other tables' rows are shared
 * (../shared/rows.ts). Domain types (store.ts) are mapped from rows only inside the stores. Times
 * are epoch milliseconds (PostgreSQL bigint, parsed as numbers by pool.ts).
 */
import type { RunRowOf, RunSummaryRowOf } from "../shared/rows.js";

export type RunRow = RunRowOf<boolean>;
export type RunSummaryRow = RunSummaryRowOf<boolean>;

/** What a commit reads (and locks) before it writes. */
export type RunHeadRow = Pick<
  RunRow,
  "run_id" | "workflow" | "seq" | "audit_seq" | "audit_hash" | "idempotency_key"
>;
