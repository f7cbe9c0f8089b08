/**
 * `task`: a person does work and submits a `form` (JSON Schema), which becomes the step's output.
 * Routes by `outcomes`, or with `next` (the outcome is then `submitted`).
 */
import type { StepOf } from "../../definition/schema.js";
import type { Draft } from "../draft.js";
import type { SchemaCheck } from "../json-schema.js";
import { checkSchema } from "../json-schema.js";
import { advance, goTo } from "../routing.js";
import type { StepInstance } from "../state.js";
import { enterHuman } from "./human.js";

export async function enterTask(draft: Draft, instance: StepInstance, step: StepOf<"task">): Promise<void> {
  await enterHuman(draft, instance, step);
}

/** The submitted data against the form; no form accepts anything. */
export function checkForm(draft: Draft, step: StepOf<"task">, data: unknown): SchemaCheck {
  if (step.form === undefined) return { ok: true };
  return checkSchema(draft.charter, step.form, data ?? {});
}

export async function routeTask(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"task">,
  outcome: string,
): Promise<void> {
  if (step.outcomes === undefined) return advance(draft, instance);
  await goTo(draft, instance, step.outcomes[outcome]!);
}
