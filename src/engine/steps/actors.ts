/**
 * Who may decide a human step: its assignees (a literal actor, or an expression giving one or a list)
 * and who is excluded by `not_by` (`initiator`, a step id meaning whoever decided that step's latest
 * instance, or a `user:`/`role:` actor). A person acts with the roles the runtime resolved for them.
 */
import { isActorLiteral } from "../../definition/expressions.js";
import type { Draft } from "../draft.js";
import type { Evaluated } from "../expressions.js";
import { evaluate, failed } from "../expressions.js";
import { visibleInstance } from "../scopes.js";
import type { StepInstance } from "../state.js";

const ASSIGNABLE = /^(user|role):/;

/** Actors from a literal or an expression; a person or a role, never an AI or a team. */
export async function resolveActors(
  draft: Draft,
  instance: StepInstance,
  spec: string | undefined,
): Promise<Evaluated> {
  if (spec === undefined) return failed("ASSIGNEE_INVALID", `step "${instance.stepId}" has no assignee`);
  if (isActorLiteral(spec)) return checked([spec]);
  const result = await evaluate(draft, spec, instance.scope);
  if (!result.ok) return result;
  const value = Array.isArray(result.value) ? result.value : [result.value];
  return checked(value);
}

function checked(actors: readonly unknown[]): Evaluated {
  const bad = actors.find((a) => typeof a !== "string" || !isActorLiteral(a) || !ASSIGNABLE.test(a));
  if (actors.length === 0 || bad !== undefined)
    return failed(
      "ASSIGNEE_INVALID",
      `an assignee must be "user:<id>" or "role:<id>", got ${JSON.stringify(bad ?? null)}`,
    );
  return { ok: true, value: [...new Set(actors as string[])] };
}

export function resolveExcluded(draft: Draft, instance: StepInstance, notBy: readonly string[]): string[] {
  const excluded = new Set<string>();
  for (const entry of notBy) {
    if (entry === "initiator") excluded.add(draft.state.initiator);
    else if (isActorLiteral(entry)) excluded.add(entry);
    else {
      const by = visibleInstance(draft, instance.scope, entry)?.decision?.by;
      if (by !== undefined) excluded.add(by);
    }
  }
  return [...excluded];
}

/** `role:x` for each of the actor's roles, whether the runtime wrote them `x` or `role:x`. */
export function roleActors(roles: readonly string[]): string[] {
  return roles.map((role) => (role.startsWith("role:") ? role : `role:${role}`));
}

export function isExcluded(excluded: readonly string[], by: string, roles: readonly string[]): boolean {
  return excluded.includes(by) || roleActors(roles).some((role) => excluded.includes(role));
}

export function isAssignee(assignees: readonly string[], by: string, roles: readonly string[]): boolean {
  const held = roleActors(roles);
  return assignees.some((a) => a === by || (a.startsWith("role:") && held.includes(a)));
}
