/** The exception queue: step instances that failed with no route, until an operator acts. */
import type pg from "pg";
import type { CommandOf } from "../../engine/commands.js";
import { decodeCursor, pageLimit, toPage } from "../shared/paging.js";

import type { ExceptionFilter, ExceptionItem, Page } from "../store.js";
import { Params, whereClause } from "./params.js";
import type { ExceptionRow } from "../shared/rows.js";
import type { Tables } from "./tables.js";
import { toExceptionItem } from "../shared/mappers.js";

export type ExceptionQueries = ReturnType<typeof exceptionQueries>;

export function exceptionQueries(t: Tables) {
  // Raised again for the same instance (after an operator's retry failed): the latest failure counts.
  const upsert = `INSERT INTO ${t.exceptions} (run_id, instance, workflow, step_id, code, message, raised_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (run_id, instance) DO UPDATE SET
      step_id = excluded.step_id, code = excluded.code, message = excluded.message, raised_at = excluded.raised_at`;
  const remove = `DELETE FROM ${t.exceptions} WHERE run_id = $1 AND instance = $2`;
  return {
    async raise(
      c: pg.ClientBase,
      runId: string,
      workflow: string,
      command: CommandOf<"raise-exception">,
      at: number,
    ): Promise<void> {
      await c.query({
        name: "charter_raise_exception",
        text: upsert,
        values: [
          runId,
          command.instance,
          workflow,
          command.stepId,
          command.error.code,
          command.error.message,
          at,
        ],
      });
    },
    /** Take an instance off the queue; one not on it is fine. */
    async resolve(c: pg.ClientBase, runId: string, instance: string): Promise<void> {
      await c.query({ name: "charter_resolve_exception", text: remove, values: [runId, instance] });
    },
    async list(c: pg.ClientBase, filter: ExceptionFilter): Promise<Page<ExceptionItem>> {
      const limit = pageLimit(filter.limit);
      const after = decodeCursor(filter.after, ["number", "string", "string"]);
      const p = new Params();
      const where = [
        ...(filter.workflow === undefined ? [] : [`workflow = ${p.add(filter.workflow)}`]),
        ...(after === undefined
          ? []
          : [`(raised_at, run_id, instance) > (${p.add(after[0])}, ${p.add(after[1])}, ${p.add(after[2])})`]),
      ];
      const sql = `SELECT * FROM ${t.exceptions} ${whereClause(where)}
        ORDER BY raised_at, run_id, instance LIMIT ${p.add(limit + 1)}`;
      const rows = (await c.query<ExceptionRow>(sql, p.values)).rows;
      return toPage(rows, limit, toExceptionItem, (row) => [row.raised_at, row.run_id, row.instance]);
    },
  };
}
