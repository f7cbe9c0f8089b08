/** Checks of what callers pass to the facade, failing with INPUT_INVALID naming the field. */
import { isActorLiteral } from "../definition/expressions.js";
import { InputInvalidError } from "../errors.js";

/** An actor such as `user:aisha.khan`, or `system`. */
export function requireActor(value: unknown, field = "as"): string {
  if (typeof value !== "string" || (value !== "system" && !isActorLiteral(value)))
    throw new InputInvalidError(
      `"${field}" must be an actor such as "user:<id>", not ${JSON.stringify(value) ?? String(value)}`,
      { field: `/${field}` },
    );
  return value;
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new InputInvalidError(`"${field}" must be a non-empty text`, { field: `/${field}` });
  return value;
}
