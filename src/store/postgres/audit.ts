/**
 * Audit records: chained as they are written (each holds the hash of the one before), never updated
 * or deleted (a trigger refuses both). The run row keeps the chain head so that a cut-off tail is
 * detected too. Rows are built here and written in bulk by the commit (batch-sql.ts).
 */
import type pg from "pg";
import { toAuditRecord } from "../shared/audit-rows.js";
import type { StoredAuditRecord } from "../store.js";
import type { AuditRow } from "../shared/rows.js";
import type { Tables } from "./tables.js";

export type AuditQueries = ReturnType<typeof auditQueries>;

export function auditQueries(t: Tables) {
  const list = `SELECT * FROM ${t.audit} WHERE run_id = $1 ORDER BY seq`;
  return {
    list: async (c: pg.ClientBase, runId: string): Promise<StoredAuditRecord[]> =>
      (await c.query<AuditRow>({ name: "charter_audit", text: list, values: [runId] })).rows.map(
        toAuditRecord,
      ),
  };
}
