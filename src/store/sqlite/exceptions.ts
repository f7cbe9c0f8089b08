/** The exception queue: step instances that failed with no route, until an operator acts. */
import type { Database } from "better-sqlite3";
import type { CommandOf } from "../../engine/commands.js";
import type { ExceptionFilter, ExceptionItem, Page } from "../store.js";
import { decodeCursor, pageLimit, toPage } from "../shared/paging.js";
import type { ExceptionRow } from "../shared/rows.js";
import { statementCache } from "./statements.js";

import { toExceptionItem } from "../shared/mappers.js";

export type ExceptionQueries = ReturnType<typeof exceptionQueries>;

export function exceptionQueries(db: Database) {
  // Raised again for the same instance (after an operator's retry failed): the latest failure counts.
  const upsert = db.prepare<[ExceptionRow]>(
    `INSERT INTO exceptions (run_id, instance, workflow, step_id, code, message, raised_at)
     VALUES (@run_id, @instance, @workflow, @step_id, @code, @message, @raised_at)
     ON CONFLICT (run_id, instance) DO UPDATE SET
       step_id = excluded.step_id, code = excluded.code, message = excluded.message, raised_at = excluded.raised_at`,
  );
  const remove = db.prepare<[string, string]>("DELETE FROM exceptions WHERE run_id = ? AND instance = ?");
  const prepare = statementCache(db);
  return {
    raise(runId: string, workflow: string, command: CommandOf<"raise-exception">, at: number): void {
      upsert.run({
        run_id: runId,
        instance: command.instance,
        workflow,
        step_id: command.stepId,
        code: command.error.code,
        message: command.error.message,
        raised_at: at,
      });
    },
    /** Take an instance off the queue; one not on it is fine. */
    resolve(runId: string, instance: string): void {
      remove.run(runId, instance);
    },
    list(filter: ExceptionFilter): Page<ExceptionItem> {
      const limit = pageLimit(filter.limit);
      const after = decodeCursor(filter.after, ["number", "string", "string"]);
      const where = [
        ...(filter.workflow === undefined ? [] : ["workflow = @workflow"]),
        ...(after === undefined ? [] : ["(raised_at, run_id, instance) > (@at, @run, @instance)"]),
      ];
      const sql = `SELECT * FROM exceptions ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY raised_at, run_id, instance LIMIT @limit`;
      const rows = prepare<[Record<string, unknown>], ExceptionRow>(sql).all({
        ...(filter.workflow === undefined ? {} : { workflow: filter.workflow }),
        ...(after === undefined ? {} : { at: after[0], run: after[1], instance: after[2] }),
        limit: limit + 1,
      });
      return toPage(rows, limit, toExceptionItem, (row) => [row.raised_at, row.run_id, row.instance]);
    },
  };
}
