/**
 * An actor's roles, resolved by the runtime when they act (and recorded in `task.decided`, so a
 * replay gives the same result): the roles of the engine's directory that list them, and the roles
 * of the given charters whose inline `members` list them.
 */
import type { Directory } from "../definition/lint/rule.js";
import type { Charter } from "../definition/schema.js";

export function rolesOf(actor: string, directory: Directory, charters: readonly Charter[]): string[] {
  const roles = new Set<string>();
  for (const [role, members] of Object.entries(directory.roles)) if (members.includes(actor)) roles.add(role);
  for (const charter of charters)
    for (const [role, spec] of Object.entries(charter.roles ?? {}))
      if (spec.members?.includes(actor)) roles.add(role);
  return [...roles].sort();
}

/** The actor and `role:<r>` for each role: what a task's assignees are matched against. */
export function actorsOf(actor: string, roles: readonly string[]): string[] {
  return [actor, ...roles.map((role) => `role:${role}`)];
}
