/**
 * `end`: completes the run with its outcome. Success is the end's own `success`, else whether the
 * outcome is in `success.outcomes`; the SLA is breached when the run took longer than
 * `success.within`. A child run tells its parent. Anything still open is cancelled.
 */
import { parseDuration } from "../../definition/duration.js";
import { isSuccessEnd } from "../../definition/gates.js";
import type { StepOf } from "../../definition/schema.js";
import { audit } from "../audit.js";
import { cancelInstance } from "../cancel.js";
import type { Draft } from "../draft.js";
import { emit } from "../draft.js";
import { activeInstances, endInstance } from "../instances.js";
import type { StepInstance } from "../state.js";

export async function enterEnd(draft: Draft, instance: StepInstance, step: StepOf<"end">): Promise<void> {
  endInstance(draft, instance, "succeeded");
  const { state } = draft;
  const success = isSuccessEnd(draft.charter, step);
  const within = draft.charter.success?.within;
  const tookMs = draft.now.getTime() - Date.parse(state.startedAt);
  const slaBreached = within !== undefined && tookMs > parseDuration(within);
  // Ends are not in branches (the linter refuses it), so nothing should be open; if it is, close it.
  for (const open of activeInstances(draft)) cancelInstance(draft, open, "the run completed");
  Object.assign(state, {
    status: "completed",
    endedAt: draft.at,
    outcome: step.outcome,
    success,
    slaBreached,
  });
  emit(draft, "complete-run", { outcome: step.outcome, success, slaBreached });
  if (state.parent)
    emit(draft, "notify-parent", {
      parentRunId: state.parent.runId,
      instance: state.parent.instance,
      outcome: step.outcome,
      success,
    });
  audit(
    draft,
    {
      actor: "system",
      action: "run.completed",
      details: { outcome: step.outcome, success, slaBreached, tookMs },
    },
    instance,
  );
}
