/**
 * Tasks: the inbox of human steps. Assignees are rows of task_assignees, which also copy the task's
 * status and open time, so one person's page ("user:fiona or role:finance-manager, open, oldest
 * first, after X") is a few index ranges of task_assignees_inbox, however many tasks others have.
 * Each command is one statement (CTEs write the task and its assignee rows together).
 */
import type pg from "pg";
import type { CommandOf } from "../../engine/commands.js";

import { decodeCursor, pageLimit, toPage } from "../shared/paging.js";

import { TASK_STATUSES } from "../store.js";
import type { Page, Task, TaskFilter } from "../store.js";
import { Params, whereClause } from "./params.js";
import type { TaskRow } from "../shared/rows.js";
import type { Tables } from "./tables.js";
import { toTask } from "../shared/mappers.js";

export type TaskQueries = ReturnType<typeof taskQueries>;

/** Before every real key: the first page of an inbox range. */
const START = [-8.64e15, ""] as const;

/**
 * Per (assignee, status) pair, the next `limit` keys of task_assignees_inbox after the cursor (a
 * LATERAL range scan each), then each task once, in order. Exported so that a test can check its plan.
 */
export function inboxSql(t: Tables): string {
  return `SELECT t.* FROM ${t.tasks} t WHERE t.task_id IN (
      SELECT r.task_id FROM unnest($1::text[]) AS who (assignee) CROSS JOIN unnest($2::text[]) AS s (status)
      CROSS JOIN LATERAL (
        SELECT a.task_id FROM ${t.taskAssignees} a
        WHERE a.assignee = who.assignee AND a.status = s.status AND (a.opened_at, a.task_id) > ($3, $4)
        ORDER BY a.opened_at, a.task_id LIMIT $5) AS r)
    ORDER BY t.opened_at, t.task_id LIMIT $5`;
}

export function taskQueries(t: Tables) {
  const open = `WITH task AS (
      INSERT INTO ${t.tasks} (task_id, run_id, workflow, command, status, assignees, opened_at)
      VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING task_id, status, opened_at)
    INSERT INTO ${t.taskAssignees} (task_id, assignee, status, opened_at)
    SELECT task.task_id, who, task.status, task.opened_at FROM task, unnest($7::text[]) AS who
    ON CONFLICT DO NOTHING`;
  // A claimant no longer listed verbatim loses the claim. Kept assignee rows stay as they are; the
  // others are deleted, the new ones added (the two touch different rows, as one statement must).
  const reassign = `WITH task AS (
      UPDATE ${t.tasks} SET assignees = $2,
        claimed_by = CASE WHEN claimed_by = ANY($3::text[]) THEN claimed_by END
      WHERE task_id = $1 RETURNING task_id, status, opened_at),
    gone AS (DELETE FROM ${t.taskAssignees} WHERE task_id = $1 AND NOT (assignee = ANY($3::text[]))),
    added AS (
      INSERT INTO ${t.taskAssignees} (task_id, assignee, status, opened_at)
      SELECT task.task_id, who, task.status, task.opened_at FROM task, unnest($3::text[]) AS who
      ON CONFLICT DO NOTHING)
    SELECT count(*) AS found FROM task`;
  const close = `WITH closed AS (
      UPDATE ${t.tasks} SET status = $2, closed_at = $3 WHERE task_id = $1 AND status = 'open' RETURNING task_id),
    copies AS (UPDATE ${t.taskAssignees} SET status = $2 WHERE task_id IN (SELECT task_id FROM closed))
    SELECT (SELECT count(*) FROM closed) AS closed, (SELECT count(*) FROM ${t.tasks} WHERE task_id = $1) AS found`;
  const claim = `UPDATE ${t.tasks} SET claimed_by = $2
    WHERE task_id = $1 AND status = 'open' AND (claimed_by IS NULL OR claimed_by = $2)`;
  const get = `SELECT * FROM ${t.tasks} WHERE task_id = $1`;
  const inbox = inboxSql(t);

  const scan = async (
    c: pg.ClientBase,
    filter: TaskFilter,
    after: readonly [number, string] | undefined,
    limit: number,
  ) => {
    const p = new Params();
    const where = [
      ...(filter.runId === undefined ? [] : [`t.run_id = ${p.add(filter.runId)}`]),
      ...(filter.status === undefined ? [] : [`t.status = ${p.add(filter.status)}`]),
      ...(filter.assignee === undefined
        ? []
        : [
            `EXISTS (SELECT 1 FROM ${t.taskAssignees} a WHERE a.task_id = t.task_id
               AND a.assignee = ANY(${p.add(filter.assignee)}::text[]))`,
          ]),
      ...(after === undefined ? [] : [`(t.opened_at, t.task_id) > (${p.add(after[0])}, ${p.add(after[1])})`]),
    ];
    const sql = `SELECT t.* FROM ${t.tasks} t ${whereClause(where)} ORDER BY t.opened_at, t.task_id LIMIT ${p.add(limit)}`;
    return (await c.query<TaskRow>(sql, p.values)).rows;
  };

  return {
    async open(
      c: pg.ClientBase,
      runId: string,
      workflow: string,
      command: CommandOf<"open-task">,
      at: number,
    ) {
      await c.query({
        name: "charter_open_task",
        text: open,
        values: [
          command.taskId,
          runId,
          workflow,
          JSON.stringify(command),
          JSON.stringify(command.assignees),
          at,
          command.assignees,
        ],
      });
    },
    /** Replace the assignees; a claimant no longer listed verbatim loses the claim. */
    async reassign(c: pg.ClientBase, command: CommandOf<"update-task">): Promise<void> {
      const result = await c.query<{ found: number }>({
        name: "charter_reassign_task",
        text: reassign,
        values: [command.taskId, JSON.stringify(command.assignees), command.assignees],
      });
      if (result.rows[0]?.found !== 1) throw new Error(`update-task: no task ${command.taskId}`);
    },
    /** Close an open task; closing one already closed changes nothing. */
    async close(c: pg.ClientBase, command: CommandOf<"close-task">, at: number): Promise<void> {
      const result = await c.query<{ closed: number; found: number }>({
        name: "charter_close_task",
        text: close,
        values: [command.taskId, command.status, at],
      });
      if (result.rows[0]?.found !== 1) throw new Error(`close-task: no task ${command.taskId}`);
    },
    async claim(c: pg.ClientBase, taskId: string, by: string): Promise<boolean> {
      return (
        (await c.query({ name: "charter_claim_task", text: claim, values: [taskId, by] })).rowCount === 1
      );
    },
    async get(c: pg.ClientBase, taskId: string): Promise<Task | undefined> {
      const row = (await c.query<TaskRow>({ name: "charter_get_task", text: get, values: [taskId] })).rows[0];
      return row && toTask(row);
    },
    async list(c: pg.ClientBase, filter: TaskFilter): Promise<Page<Task>> {
      const limit = pageLimit(filter.limit);
      const after = decodeCursor(filter.after, ["number", "string"]);
      // With a run id the run's few tasks are the smaller set; otherwise the inbox index leads.
      const rows =
        filter.assignee !== undefined && filter.runId === undefined
          ? (
              await c.query<TaskRow>({
                name: "charter_inbox",
                text: inbox,
                values: [
                  filter.assignee,
                  filter.status ? [filter.status] : TASK_STATUSES,
                  (after ?? START)[0],
                  (after ?? START)[1],
                  limit + 1,
                ],
              })
            ).rows
          : await scan(c, filter, after, limit + 1);
      return toPage(rows, limit, toTask, (row) => [row.opened_at, row.task_id]);
    },
  };
}
