/**
 * One switch per step-kind concern, so that every kind is handled (the compiler checks the switch is
 * exhaustive): starting an instance of a step, and a timer it owns firing.
 */
import type { Step } from "../../definition/schema.js";
import type { Draft } from "../draft.js";
import type { StepInstance, TimerPurpose } from "../state.js";
import { enterAction, onActionTimer } from "./action.js";
import { enterAi, onAiTimer } from "./ai.js";
import { enterApproval } from "./approval.js";
import { enterDecision } from "./decision.js";
import { enterEnd } from "./end.js";
import { onHumanTimer } from "./human.js";
import { enterParallel } from "./parallel.js";
import { enterTask } from "./task.js";
import { enterWait, onWaitTimer } from "./wait.js";
import { enterWorkflow, onWorkflowTimer } from "./workflow.js";

/** Starts the instance's current attempt: the kind's commands, or an immediate route. */
export async function enterKind(draft: Draft, instance: StepInstance, step: Step): Promise<void> {
  switch (step.kind) {
    case "action":
      return enterAction(draft, instance, step);
    case "ai":
      return enterAi(draft, instance, step);
    case "decision":
      return enterDecision(draft, instance, step);
    case "approval":
      return enterApproval(draft, instance, step);
    case "task":
      return enterTask(draft, instance, step);
    case "parallel":
      return enterParallel(draft, instance, step);
    case "wait":
      return enterWait(draft, instance, step);
    case "workflow":
      return enterWorkflow(draft, instance, step);
    case "end":
      return enterEnd(draft, instance, step);
  }
}

/** A timer of the instance fired (other than `retry`, which every kind handles the same way). */
export async function onKindTimer(
  draft: Draft,
  instance: StepInstance,
  step: Step,
  purpose: TimerPurpose,
): Promise<void> {
  switch (step.kind) {
    case "action":
      return onActionTimer(draft, instance, purpose);
    case "ai":
      return onAiTimer(draft, instance, purpose);
    case "approval":
    case "task":
      return onHumanTimer(draft, instance, step, purpose);
    case "wait":
      return onWaitTimer(draft, instance, step, purpose);
    case "workflow":
      return onWorkflowTimer(draft, instance, purpose);
    case "decision":
    case "parallel":
    case "end":
      // These kinds start no timers.
      return;
  }
}
