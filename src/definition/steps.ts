import type { Charter, Step, StepOf } from "./schema.js";

/** The steps of the given kinds, in the order the charter lists them, narrowed to those kinds. */
export function stepsOfKind<K extends Step["kind"]>(
  charter: Charter,
  kinds: readonly K[],
): { id: string; step: StepOf<K> }[] {
  return Object.entries(charter.steps).flatMap(([id, step]) =>
    (kinds as readonly string[]).includes(step.kind) ? [{ id, step: step as StepOf<K> }] : [],
  );
}
