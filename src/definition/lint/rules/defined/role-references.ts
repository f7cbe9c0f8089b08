/** Where a charter names roles: owners, assignees, escalation targets and not_by entries. */
import type { ValuePath } from "../../../diagnostic.js";
import { isActorLiteral } from "../../../expressions.js";
import type { Charter } from "../../../schema.js";
import { actorFields } from "../charter-parts.js";
import { fieldOf } from "../wording.js";

export interface RoleReference {
  readonly role: string;
  readonly path: ValuePath;
  /** Offset of `role:` inside an expression that names the role as a literal. */
  readonly offset?: number;
  /** Who names it, for messages: `Charter "invoice-approval"`, `Step "approve"`. */
  readonly subject: string;
  readonly field: string;
}

const ROLE_IN_EXPRESSION = /role:([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/g;

/** Every `role:<id>` the charter names, as an actor or as a literal inside an actor expression. */
export function roleReferences(charter: Charter): RoleReference[] {
  return actorFields(charter).flatMap(({ value, path, step }): RoleReference[] => {
    const subject = step ? `Step "${step.id}"` : `Charter "${charter.workflow}"`;
    const field = fieldOf(path);
    if (isActorLiteral(value))
      return value.startsWith("role:") ? [{ role: value.slice(5), path, subject, field }] : [];
    // An assignee expression may pick between fixed roles: `input.amount > 1000 ? "role:cfo" : ...`.
    return [...value.matchAll(ROLE_IN_EXPRESSION)].map((match) => ({
      role: match[1]!,
      path,
      offset: match.index,
      subject,
      field,
    }));
  });
}
