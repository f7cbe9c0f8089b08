/**
 * What approvals and tasks share: opening the task (assignees, exclusions, what it shows, due date),
 * and its deadlines: `due` (audited as overdue), `escalate` (adds an assignee) and `expire` (the run
 * goes to `expire.goto`).
 */
import { parseDuration } from "../../definition/duration.js";
import type { StepOf } from "../../definition/schema.js";
import { audit, dataHash } from "../audit.js";
import { expressionContext } from "../context.js";
import type { Draft } from "../draft.js";
import { after, emit } from "../draft.js";
import { raiseException } from "../failure.js";
import { taskId } from "../ids.js";
import { endInstance } from "../instances.js";
import { goTo } from "../routing.js";
import type { StepInstance, TimerPurpose } from "../state.js";
import { cancelTimers, startTimer } from "../timers.js";
import { resolveActors, resolveExcluded } from "./actors.js";

export type HumanStep = StepOf<"approval"> | StepOf<"task">;

/** The outcomes a person may choose: an approval's, a task's, or `submitted` for a task with `next`. */
export function outcomeNames(step: HumanStep): string[] {
  if (step.kind === "task" && step.outcomes === undefined) return ["submitted"];
  return Object.keys(step.outcomes ?? {});
}

export async function enterHuman(draft: Draft, instance: StepInstance, step: HumanStep): Promise<void> {
  delete instance.decision;
  delete instance.output;
  const assignees = await resolveActors(draft, instance, step.assignee);
  // Human steps have no on_error: a task nobody can be given goes to the exception queue.
  if (!assignees.ok) return raiseException(draft, instance, assignees.error);
  const shows = resolveShows(draft, instance, step.shows ?? []);
  Object.assign(instance, {
    status: "waiting",
    taskId: taskId(draft.state.runId, instance.key, instance.attempt),
    assignees: assignees.value as string[],
    excluded: resolveExcluded(draft, instance, step.not_by ?? []),
    shownHash: dataHash(shows),
  });
  openTask(draft, instance, step, shows);
  startDeadlines(draft, instance, step);
  audit(
    draft,
    {
      actor: "system",
      action: "task.opened",
      dataHash: instance.shownHash!,
      details: { taskId: instance.taskId, assignees: instance.assignees, excluded: instance.excluded },
    },
    instance,
  );
}

function openTask(
  draft: Draft,
  instance: StepInstance,
  step: HumanStep,
  shows: Record<string, unknown>,
): void {
  // `due` and `expire` are required by the linter; without them the task is due at once.
  const due = step.due ?? step.expire?.after ?? "0s";
  emit(draft, "open-task", {
    taskId: instance.taskId!,
    instance: instance.key,
    stepId: instance.stepId,
    kind: step.kind,
    title: step.title ?? instance.stepId,
    assignees: instance.assignees!,
    excluded: instance.excluded!,
    outcomes: outcomeNames(step),
    requireReason: step.require_reason === true,
    dueAt: after(draft, parseDuration(due)),
    ...(step.kind === "task" && step.form ? { form: step.form } : {}),
    shows,
    ...(step.instructions === undefined ? {} : { instructions: step.instructions }),
  });
}

function startDeadlines(draft: Draft, instance: StepInstance, step: HumanStep): void {
  if (step.due !== undefined) startTimer(draft, instance, "due", after(draft, parseDuration(step.due)));
  if (step.escalate !== undefined)
    startTimer(draft, instance, "escalate", after(draft, parseDuration(step.escalate.after)));
  if (step.expire !== undefined)
    startTimer(draft, instance, "expire", after(draft, parseDuration(step.expire.after)));
}

/** The context paths a task shows (`input`, `steps.match-po.output`, an item name), by path. */
function resolveShows(
  draft: Draft,
  instance: StepInstance,
  paths: readonly string[],
): Record<string, unknown> {
  const context = expressionContext(draft, instance.scope);
  const shows: Record<string, unknown> = {};
  for (const path of paths) {
    let value: unknown = context;
    for (const name of path.split("."))
      value =
        typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
    if (value !== undefined) shows[path] = value;
  }
  return shows;
}

export async function onHumanTimer(
  draft: Draft,
  instance: StepInstance,
  step: HumanStep,
  purpose: TimerPurpose,
): Promise<void> {
  if (instance.status !== "waiting") return;
  if (purpose === "due")
    audit(draft, { actor: "system", action: "task.overdue", details: { taskId: instance.taskId } }, instance);
  else if (purpose === "escalate") await escalate(draft, instance, step);
  else if (purpose === "expire") await expire(draft, instance, step);
}

async function escalate(draft: Draft, instance: StepInstance, step: HumanStep): Promise<void> {
  if (step.escalate === undefined) return;
  const added = await resolveActors(draft, instance, step.escalate.to);
  if (!added.ok) {
    // The task stays open with its assignees; the failed escalation is on record for its owner.
    audit(
      draft,
      { actor: "system", action: "task.escalation-failed", details: { ...added.error } },
      instance,
    );
    return;
  }
  instance.assignees = [...new Set([...(instance.assignees ?? []), ...(added.value as string[])])];
  emit(draft, "update-task", { taskId: instance.taskId!, assignees: instance.assignees });
  audit(
    draft,
    { actor: "system", action: "task.escalated", details: { taskId: instance.taskId, added: added.value } },
    instance,
  );
}

async function expire(draft: Draft, instance: StepInstance, step: HumanStep): Promise<void> {
  cancelTimers(draft, instance);
  emit(draft, "close-task", { taskId: instance.taskId!, status: "expired" });
  endInstance(draft, instance, "expired");
  const target = step.expire?.goto ?? "exception";
  audit(
    draft,
    { actor: "system", action: "task.expired", details: { taskId: instance.taskId, to: target } },
    instance,
  );
  await goTo(draft, instance, target, {
    code: "EXPIRED",
    message: `nobody decided "${instance.stepId}" in time`,
    retryable: false,
  });
}
