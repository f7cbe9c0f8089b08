/**
 * A person decides an approval or submits a task (`task.decided`). The engine enforces who may:
 * someone excluded by `not_by` (by name or by one of their roles), or who is not an assignee, is
 * refused with FORBIDDEN and the refusal is audited; an unknown outcome or a missing required reason
 * is a CONFLICT; form data that fails the task's form is INPUT_INVALID. A refusal changes nothing.
 */
import type { Command } from "../commands.js";
import { audit, auditEntry } from "../audit.js";
import type { Draft } from "../draft.js";
import { emit } from "../draft.js";
import type { EventOf } from "../events.js";
import { endInstance, stepOf, ownInstance } from "../instances.js";
import type { Handled, Refusal } from "../result.js";
import { APPLIED, refused } from "../result.js";
import type { StepInstance } from "../state.js";
import { cancelTimers } from "../timers.js";
import { isAssignee, isExcluded } from "./actors.js";
import { routeApproval } from "./approval.js";
import type { HumanStep } from "./human.js";
import { outcomeNames } from "./human.js";
import { checkForm, routeTask } from "./task.js";

type Decided = EventOf<"task.decided">;

export async function onTaskDecided(draft: Draft, event: Decided): Promise<Handled> {
  const found = Object.values(draft.state.steps).find((i) => i.taskId === event.taskId);
  const instance = found && ownInstance(draft, found.key);
  if (!instance) return refused({ code: "NOT_FOUND", message: `no task "${event.taskId}" in this run` });
  if (instance.status !== "waiting" || !draft.state.active.includes(instance.key))
    return refused({
      code: "CONFLICT",
      message: `task "${event.taskId}" is no longer open (${instance.status})`,
    });
  const step = stepOf(draft, instance) as HumanStep;
  const forbidden = whyForbidden(instance, event);
  if (forbidden) return refused(forbidden, [refusalAudit(draft, instance, event, forbidden)]);
  const invalid = whyInvalid(draft, step, event);
  if (invalid) return refused(invalid);
  await accept(draft, instance, step, event);
  return APPLIED;
}

function whyForbidden(instance: StepInstance, event: Decided): Refusal | undefined {
  if (isExcluded(instance.excluded ?? [], event.by, event.roles))
    return {
      code: "FORBIDDEN",
      message: `${event.by} may not decide "${instance.stepId}": excluded by not_by (separation of duties)`,
    };
  if (!isAssignee(instance.assignees ?? [], event.by, event.roles))
    return {
      code: "FORBIDDEN",
      message: `${event.by} is not an assignee of "${instance.stepId}" (${(instance.assignees ?? []).join(", ")})`,
    };
  return undefined;
}

function whyInvalid(draft: Draft, step: HumanStep, event: Decided): Refusal | undefined {
  const outcomes = outcomeNames(step);
  if (!outcomes.includes(event.outcome))
    return {
      code: "CONFLICT",
      message: `"${event.outcome}" is not an outcome of this step: ${outcomes.join(", ")}`,
    };
  if (step.require_reason === true && (event.reason ?? "").trim() === "")
    return { code: "CONFLICT", message: "this step requires a reason with the decision" };
  if (step.kind !== "task") return undefined;
  const form = checkForm(draft, step, event.data);
  return form.ok ? undefined : { code: "INPUT_INVALID", message: form.message, field: form.field };
}

/** The refusal is on record too: who tried, on which task, and why not. */
function refusalAudit(draft: Draft, instance: StepInstance, event: Decided, refusal: Refusal): Command {
  const entry = auditEntry(
    draft,
    {
      actor: event.by,
      action: "decision.refused",
      ...(event.reason === undefined ? {} : { reason: event.reason }),
      dataHash: instance.shownHash!,
      details: {
        taskId: event.taskId,
        outcome: event.outcome,
        roles: [...event.roles],
        why: refusal.message,
      },
    },
    instance,
  );
  return { type: "append-audit", entry };
}

async function accept(draft: Draft, instance: StepInstance, step: HumanStep, event: Decided): Promise<void> {
  cancelTimers(draft, instance);
  emit(draft, "close-task", { taskId: event.taskId, status: "decided" });
  instance.decision = {
    outcome: event.outcome,
    by: event.by,
    at: draft.at,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
  };
  if (event.data !== undefined) instance.output = event.data;
  endInstance(draft, instance, "succeeded");
  audit(
    draft,
    {
      actor: event.by,
      action: step.kind === "approval" ? "approval.decided" : "task.submitted",
      ...(event.reason === undefined ? {} : { reason: event.reason }),
      dataHash: instance.shownHash!,
      details: { taskId: event.taskId, outcome: event.outcome, roles: [...event.roles] },
    },
    instance,
  );
  if (step.kind === "approval") await routeApproval(draft, instance, step, event.outcome);
  else await routeTask(draft, instance, step, event.outcome);
}
