/**
 * The run row of this store: SQLite keeps a boolean as 0 or 1. The other tables' rows are shared
 * (../shared/rows.ts). Domain types (store.ts) are mapped from rows only inside the stores.
 */
import type { RunRowOf, RunSummaryRowOf } from "../shared/rows.js";

export type RunRow = RunRowOf<0 | 1>;
export type RunSummaryRow = RunSummaryRowOf<0 | 1>;
