/**
 * The parts of a charter that several rule families walk: its steps of some kinds, and every field
 * that names an actor. One walk each, so that a new step kind or actor field reaches every rule.
 */
import type { ValuePath } from "../../diagnostic.js";
import { isHumanStep } from "../../gates.js";
import type { Charter, StepKind } from "../../schema.js";

/** The kinds of step where a person acts, as a list {@link stepsOfKind} can narrow by. */
export const HUMAN_KINDS = ["approval", "task"] as const;

/** A field that names an actor (`role:clerk`) or holds an expression that computes one. */
export interface ActorField {
  readonly field: "owner" | "assignee" | "escalate.to" | "not_by";
  readonly value: string;
  readonly path: ValuePath;
  /** The step that holds the field; undefined for the charter's own owner. */
  readonly step?: { readonly id: string; readonly kind: StepKind };
}

/**
 * Every actor field that is set, in charter order: the charter's owner, then per step its owner and,
 * on a human step, its assignee, escalation target and `not_by` entries. End steps name no actor.
 */
export function actorFields(charter: Charter): ActorField[] {
  const fields: ActorField[] = [];
  const add = (
    field: ActorField["field"],
    value: string | undefined,
    path: ValuePath,
    step?: ActorField["step"],
  ) => {
    if (value !== undefined) fields.push({ field, value, path, ...(step ? { step } : {}) });
  };
  add("owner", charter.owner, ["owner"]);
  for (const [id, step] of Object.entries(charter.steps)) {
    if (step.kind === "end") continue;
    const at = { id, kind: step.kind };
    add("owner", step.owner, ["steps", id, "owner"], at);
    if (!isHumanStep(step)) continue;
    add("assignee", step.assignee, ["steps", id, "assignee"], at);
    add("escalate.to", step.escalate?.to, ["steps", id, "escalate", "to"], at);
    step.not_by?.forEach((entry, i) => add("not_by", entry, ["steps", id, "not_by", i], at));
  }
  return fields;
}
