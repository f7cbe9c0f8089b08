/**
 * The inbox through the facade: list the tasks an actor may decide, claim one, decide one. Who may
 * decide is the engine's call (assignees, `not_by`); the runtime supplies the actor's roles.
 */
import { isAssignee, isExcluded } from "../engine/steps/actors.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import type { Page, Task, TaskStatus } from "../store/store.js";
import type { Runtime } from "./context.js";
import { request } from "./requests.js";
import { actorsOf, rolesOf } from "./roles.js";
import { requireActor } from "./validate.js";

export interface TaskListFilter {
  readonly as?: string;
  readonly status?: TaskStatus;
  readonly after?: string;
  readonly limit?: number;
}

/**
 * Tasks assigned to the actor or one of their roles (open ones unless `status` says otherwise),
 * without those `not_by` excludes them from. A page may hold fewer than `limit` items for that
 * reason; `next` still continues after it.
 */
export async function listTasks(rt: Runtime, filter: TaskListFilter = {}): Promise<Page<Task>> {
  const { store, directory } = rt.config;
  const paging = {
    ...(filter.after === undefined ? {} : { after: filter.after }),
    ...(filter.limit === undefined ? {} : { limit: filter.limit }),
  };
  if (filter.as === undefined)
    return store.listTasks({ ...paging, ...(filter.status ? { status: filter.status } : {}) });
  const as = requireActor(filter.as);
  const roles = rolesOf(as, directory, await rt.charters.allLatest());
  const status = filter.status ?? "open";
  const page = await store.listTasks({ ...paging, assignee: actorsOf(as, roles), status });
  if (status !== "open") return page;
  return { ...page, items: page.items.filter((task) => !isExcluded(task.command.excluded, as, roles)) };
}

export async function claimTask(rt: Runtime, taskId: string, as: string): Promise<void> {
  const actor = requireActor(as);
  const { task, roles } = await openTask(rt, taskId, actor);
  if (isExcluded(task.command.excluded, actor, roles))
    throw new ForbiddenError(
      `${actor} may not claim task "${taskId}": excluded by not_by (separation of duties)`,
      {
        details: { taskId, runId: task.runId },
      },
    );
  if (!isAssignee(task.assignees, actor, roles))
    throw new ForbiddenError(
      `${actor} is not an assignee of task "${taskId}" (${task.assignees.join(", ")})`,
      {
        details: { taskId, runId: task.runId },
      },
    );
  if (!(await rt.config.store.claimTask(taskId, actor)))
    throw new ConflictError(`task "${taskId}" is claimed by ${task.claimedBy ?? "someone else"}`, {
      details: { taskId, runId: task.runId, claimedBy: task.claimedBy },
    });
}

export async function decide(
  rt: Runtime,
  taskId: string,
  options: { as: string; outcome: string; reason?: string; data?: unknown },
): Promise<void> {
  const by = requireActor(options.as);
  const task = await rt.config.store.getTask(taskId);
  if (!task) throw new NotFoundError(`no task "${taskId}"`, { details: { taskId } });
  const roles = await runRoles(rt, task.runId, by);
  await request(
    rt,
    task.runId,
    {
      type: "task.decided",
      taskId,
      by,
      roles,
      outcome: options.outcome,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      ...(options.data === undefined ? {} : { data: options.data }),
    },
    { taskId },
  );
}

async function openTask(
  rt: Runtime,
  taskId: string,
  actor: string,
): Promise<{ task: Task; roles: string[] }> {
  const task = await rt.config.store.getTask(taskId);
  if (!task) throw new NotFoundError(`no task "${taskId}"`, { details: { taskId } });
  if (task.status !== "open")
    throw new ConflictError(`task "${taskId}" is ${task.status}, not open`, {
      details: { taskId, status: task.status },
    });
  return { task, roles: await runRoles(rt, task.runId, actor) };
}

/** Roles from the directory and the inline members of the charter version the run executes. */
async function runRoles(rt: Runtime, runId: string, actor: string): Promise<string[]> {
  const stored = await rt.config.store.getRun(runId);
  if (!stored) throw new NotFoundError(`no run "${runId}"`, { details: { runId } });
  const charter = await rt.charters.get(stored.state.workflow, stored.state.version);
  return rolesOf(actor, rt.config.directory, [charter]);
}
