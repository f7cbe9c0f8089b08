/**
 * Tasks: the inbox of human steps. Assignees are rows of task_assignees, which also copy the task's
 * status and open time, so one person's page ("user:fiona or role:finance-manager, open, oldest
 * first, after X") is a few index ranges of task_assignees_inbox, however many tasks others have.
 */
import type { Database } from "better-sqlite3";
import type { CommandOf } from "../../engine/commands.js";
import { TASK_STATUSES } from "../store.js";
import type { Page, Task, TaskFilter, TaskStatus } from "../store.js";

import { compareText, decodeCursor, pageLimit, toPage } from "../shared/paging.js";
import type { TaskAssigneeRow, TaskRow } from "../shared/rows.js";
import { statementCache } from "./statements.js";

import { toTask } from "../shared/mappers.js";

export type TaskQueries = ReturnType<typeof taskQueries>;
type Cursor = readonly [number, string];

/**
 * One assignee's tasks of one status after a key, in order: a range of task_assignees_inbox, then
 * the task by primary key. Exported so that a test can check its query plan.
 */
export const INBOX_RANGE_SQL = `SELECT t.* FROM task_assignees a JOIN tasks t ON t.task_id = a.task_id
  WHERE a.assignee = @assignee AND a.status = @status AND (a.opened_at, a.task_id) > (@at, @id)
  ORDER BY a.opened_at, a.task_id LIMIT @limit`;

interface InboxRangeParams {
  readonly assignee: string;
  readonly status: TaskStatus;
  readonly at: number;
  readonly id: string;
  readonly limit: number;
}

/** Before every real key: the first page of an inbox range. */
const START: Cursor = [-8.64e15, ""];

export function taskQueries(db: Database) {
  const insert = db.prepare<[TaskRow]>(
    `INSERT INTO tasks (task_id, run_id, workflow, command, status, assignees, claimed_by, opened_at, closed_at)
     VALUES (@task_id, @run_id, @workflow, @command, @status, @assignees, @claimed_by, @opened_at, @closed_at)`,
  );
  const insertAssignee = db.prepare<[TaskAssigneeRow]>(
    `INSERT INTO task_assignees (task_id, assignee, status, opened_at)
     VALUES (@task_id, @assignee, @status, @opened_at) ON CONFLICT DO NOTHING`,
  );
  const deleteAssignees = db.prepare<[string]>("DELETE FROM task_assignees WHERE task_id = ?");
  const get = db.prepare<[string], TaskRow>("SELECT * FROM tasks WHERE task_id = ?");
  const setAssignees = db.prepare<[string, string | null, string]>(
    "UPDATE tasks SET assignees = ?, claimed_by = ? WHERE task_id = ?",
  );
  const close = db.prepare<[TaskStatus, number, string]>(
    "UPDATE tasks SET status = ?, closed_at = ? WHERE task_id = ? AND status = 'open'",
  );
  const closeAssignees = db.prepare<[TaskStatus, string]>(
    "UPDATE task_assignees SET status = ? WHERE task_id = ?",
  );
  const claim = db.prepare<[string, string, string]>(
    `UPDATE tasks SET claimed_by = ?
     WHERE task_id = ? AND status = 'open' AND (claimed_by IS NULL OR claimed_by = ?)`,
  );
  const inboxRange = db.prepare<[InboxRangeParams], TaskRow>(INBOX_RANGE_SQL);
  const prepare = statementCache(db);

  const writeAssignees = (
    row: Pick<TaskRow, "task_id" | "status" | "opened_at">,
    assignees: readonly string[],
  ) => {
    for (const assignee of assignees) {
      insertAssignee.run({ task_id: row.task_id, assignee, status: row.status, opened_at: row.opened_at });
    }
  };
  const existing = (taskId: string, command: string): TaskRow => {
    const row = get.get(taskId);
    if (row === undefined) throw new Error(`${command}: no task ${taskId}`);
    return row;
  };

  /** Per assignee and status, the next `limit` keys in index order; merged, each task once. */
  const inbox = (
    assignees: readonly string[],
    statuses: readonly TaskStatus[],
    after: Cursor,
    limit: number,
  ) => {
    const byId = new Map<string, TaskRow>();
    for (const assignee of assignees) {
      for (const status of statuses) {
        for (const row of inboxRange.all({ assignee, status, at: after[0], id: after[1], limit })) {
          byId.set(row.task_id, row);
        }
      }
    }
    return [...byId.values()].sort(byOpened).slice(0, limit);
  };
  const readInbox = db.transaction(inbox);

  const scan = (filter: TaskFilter, after: Cursor | undefined, limit: number): TaskRow[] => {
    const where = [
      ...(filter.runId === undefined ? [] : ["t.run_id = @run"]),
      ...(filter.status === undefined ? [] : ["t.status = @status"]),
      ...(filter.assignee === undefined
        ? []
        : [
            `EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.task_id
               AND a.assignee IN (SELECT value FROM json_each(@assignees)))`,
          ]),
      ...(after === undefined ? [] : ["(t.opened_at, t.task_id) > (@at, @id)"]),
    ];
    const sql = `SELECT t.* FROM tasks t ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY t.opened_at, t.task_id LIMIT @limit`;
    return prepare<[Record<string, unknown>], TaskRow>(sql).all({
      ...(filter.runId === undefined ? {} : { run: filter.runId }),
      ...(filter.status === undefined ? {} : { status: filter.status }),
      ...(filter.assignee === undefined ? {} : { assignees: JSON.stringify(filter.assignee) }),
      ...(after === undefined ? {} : { at: after[0], id: after[1] }),
      limit,
    });
  };

  return {
    open(runId: string, workflow: string, command: CommandOf<"open-task">, at: number): void {
      const row: TaskRow = {
        task_id: command.taskId,
        run_id: runId,
        workflow,
        command: JSON.stringify(command),
        status: "open",
        assignees: JSON.stringify(command.assignees),
        claimed_by: null,
        opened_at: at,
        closed_at: null,
      };
      insert.run(row);
      writeAssignees(row, command.assignees);
    },
    /** Replace the assignees; a claimant no longer listed verbatim loses the claim. */
    reassign(command: CommandOf<"update-task">): void {
      const row = existing(command.taskId, "update-task");
      const claimedBy =
        row.claimed_by !== null && command.assignees.includes(row.claimed_by) ? row.claimed_by : null;
      setAssignees.run(JSON.stringify(command.assignees), claimedBy, row.task_id);
      deleteAssignees.run(row.task_id);
      writeAssignees(row, command.assignees);
    },
    /** Close an open task; closing one already closed changes nothing. */
    close(command: CommandOf<"close-task">, at: number): void {
      if (close.run(command.status, at, command.taskId).changes > 0) {
        closeAssignees.run(command.status, command.taskId);
      } else {
        existing(command.taskId, "close-task");
      }
    },
    claim: (taskId: string, by: string): boolean => claim.run(by, taskId, by).changes > 0,
    get(taskId: string): Task | undefined {
      const row = get.get(taskId);
      return row && toTask(row);
    },
    list(filter: TaskFilter): Page<Task> {
      const limit = pageLimit(filter.limit);
      const after = decodeCursor(filter.after, ["number", "string"]);
      // With a run id the run's few tasks are the smaller set; otherwise the inbox index leads.
      const rows =
        filter.assignee !== undefined && filter.runId === undefined
          ? readInbox.deferred(
              filter.assignee,
              filter.status ? [filter.status] : TASK_STATUSES,
              after ?? START,
              limit + 1,
            )
          : scan(filter, after, limit + 1);
      return toPage(rows, limit, toTask, (row) => [row.opened_at, row.task_id]);
    },
  };
}

function byOpened(a: TaskRow, b: TaskRow): number {
  return a.opened_at - b.opened_at || compareText(a.task_id, b.task_id);
}
