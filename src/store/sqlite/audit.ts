/**
 * Audit records: chained here as they are written (each holds the hash of the one before), never
 * updated or deleted. The run row keeps the chain head so that a cut-off tail is detected too.
 */
import type { Database } from "better-sqlite3";
import type { ChainHead } from "../../audit/chain.js";
import type { CommandOf } from "../../engine/commands.js";
import { chainAudit, toAuditRecord } from "../shared/audit-rows.js";
import type { StoredAuditRecord } from "../store.js";
import type { AuditRow } from "../shared/rows.js";

export type AuditQueries = ReturnType<typeof auditQueries>;

export function auditQueries(db: Database) {
  const insert = db.prepare<[AuditRow]>(
    `INSERT INTO audit (run_id, seq, prev_hash, hash, actor, action, step, instance, reason, policy, data_hash,
       at, details, call)
     VALUES (@run_id, @seq, @prev_hash, @hash, @actor, @action, @step, @instance, @reason, @policy, @data_hash,
       @at, @details, @call)`,
  );
  const list = db.prepare<[string], AuditRow>("SELECT * FROM audit WHERE run_id = ? ORDER BY seq");
  return {
    /** Chain one `append-audit` command after `head` and write it; returns the new head. */
    append(runId: string, head: ChainHead | undefined, command: CommandOf<"append-audit">): ChainHead {
      const chained = chainAudit(runId, head, command);
      insert.run(chained.row);
      return chained.head;
    },
    list: (runId: string): StoredAuditRecord[] => list.all(runId).map(toAuditRecord),
  };
}
