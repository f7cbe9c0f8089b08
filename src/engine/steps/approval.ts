/** `approval`: a person approves or rejects (or picks another listed outcome); routes by `outcomes`. */
import type { StepOf } from "../../definition/schema.js";
import type { Draft } from "../draft.js";
import { goTo } from "../routing.js";
import type { StepInstance } from "../state.js";
import { enterHuman } from "./human.js";

export async function enterApproval(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"approval">,
): Promise<void> {
  await enterHuman(draft, instance, step);
}

export async function routeApproval(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"approval">,
  outcome: string,
): Promise<void> {
  await goTo(draft, instance, step.outcomes[outcome]!);
}
