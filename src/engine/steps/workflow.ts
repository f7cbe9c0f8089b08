/**
 * `workflow`: starts a child run of another charter and waits for it. When the child ends with
 * outcome O the run goes to `outcomes[O]`; else to `next` if the child succeeded (in a branch, an
 * unset `next` is the rest of the branch); else to `outcomes.default`; else the step fails with
 * CHILD_FAILED. A child past `timeout` fails it with TIMEOUT (and is cancelled), and a child that
 * could not start fails it with the runtime's code (WORKFLOW_NOT_FOUND). Errors route by `on_error`.
 */
import { parseDuration } from "../../definition/duration.js";
import type { StepOf } from "../../definition/schema.js";
import { audit } from "../audit.js";
import type { Draft } from "../draft.js";
import { after, emit } from "../draft.js";
import type { EventOf } from "../events.js";
import { routeError } from "../failure.js";
import { childRunId } from "../ids.js";
import { activeInstance, endInstance, stepOf } from "../instances.js";
import type { Handled } from "../result.js";
import { APPLIED, IGNORED } from "../result.js";
import { advance, goTo } from "../routing.js";
import { isBranchScope } from "../scopes.js";
import type { InstanceKey, StepInstance, TimerPurpose } from "../state.js";
import { cancelTimers, startTimer } from "../timers.js";
import { jobInput } from "./jobs.js";

export async function enterWorkflow(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"workflow">,
): Promise<void> {
  instance.status = "running";
  const input = await jobInput(draft, instance, step.input);
  if (!input.ok) return routeError(draft, instance, input.error);
  instance.childRunId = childRunId(draft.state.runId, instance.key, instance.attempt);
  emit(draft, "start-child-run", {
    childRunId: instance.childRunId,
    instance: instance.key,
    workflow: step.workflow,
    input: input.value,
    initiator: draft.state.initiator,
  });
  if (step.timeout !== undefined)
    startTimer(draft, instance, "timeout", after(draft, parseDuration(step.timeout)));
}

/** The workflow-step instance waiting for this child run, if it still is. */
function waitingFor(draft: Draft, key: InstanceKey, child: string): StepInstance | undefined {
  const instance = activeInstance(draft, key);
  if (!instance || instance.status !== "running" || instance.childRunId !== child) return undefined;
  return stepOf(draft, instance).kind === "workflow" ? instance : undefined;
}

export async function onChildEnded(draft: Draft, event: EventOf<"child.ended">): Promise<Handled> {
  const instance = waitingFor(draft, event.instance, event.childRunId);
  if (!instance) return IGNORED;
  const step = stepOf(draft, instance) as StepOf<"workflow">;
  cancelTimers(draft, instance);
  instance.output = { runId: event.childRunId, outcome: event.outcome, success: event.success };
  const target = childRoute(draft, instance, step, event);
  if (target === undefined) {
    const message = `child run ended with "${event.outcome}", which no route of the step takes`;
    await routeError(draft, instance, {
      code: "CHILD_FAILED",
      message,
      retryable: false,
      details: { outcome: event.outcome },
    });
    return APPLIED;
  }
  endInstance(draft, instance, "succeeded");
  audit(draft, { actor: "system", action: "step.succeeded", data: instance.output }, instance);
  if (target === NEXT) await advance(draft, instance);
  else await goTo(draft, instance, target);
  return APPLIED;
}

const NEXT = Symbol("next");

function childRoute(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"workflow">,
  event: EventOf<"child.ended">,
): string | typeof NEXT | undefined {
  const listed = step.outcomes?.[event.outcome];
  if (listed !== undefined) return listed;
  if (event.success && (step.next !== undefined || isBranchScope(draft, instance.scope))) return NEXT;
  return step.outcomes?.default;
}

export async function onChildFailed(draft: Draft, event: EventOf<"child.failed">): Promise<Handled> {
  const instance = waitingFor(draft, event.instance, event.childRunId);
  if (!instance) return IGNORED;
  await routeError(draft, instance, event.error);
  return APPLIED;
}

export async function onWorkflowTimer(
  draft: Draft,
  instance: StepInstance,
  purpose: TimerPurpose,
): Promise<void> {
  if (purpose !== "timeout" || instance.status !== "running" || instance.childRunId === undefined) return;
  emit(draft, "cancel-child-run", { childRunId: instance.childRunId, reason: "the workflow step timed out" });
  await routeError(draft, instance, {
    code: "TIMEOUT",
    message: "the child run took longer than the step's timeout",
    retryable: false,
  });
}
