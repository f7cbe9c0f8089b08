/**
 * Requests from people and operators (decide, cancel, retry, skip): applied like any event, but a
 * refusal is thrown to the caller as the matching CharterError, after its audit records (if any)
 * were appended. A run that does not exist is NOT_FOUND; one that kept changing under the request
 * is a CONFLICT the caller may retry.
 */
import type { EngineEvent } from "../engine/events.js";
import type { Refusal, RefusalCode } from "../engine/result.js";
import type { CharterError } from "../errors.js";
import { ConflictError, ForbiddenError, InputInvalidError, NotFoundError } from "../errors.js";
import { applyEvent, MAX_COMMIT_ATTEMPTS } from "./commit.js";
import type { Runtime } from "./context.js";

type Details = Record<string, unknown>;

const REFUSAL_ERRORS: { readonly [K in RefusalCode]: (refusal: Refusal, details: Details) => CharterError } =
  {
    FORBIDDEN: (r, details) => new ForbiddenError(r.message, { details }),
    NOT_FOUND: (r, details) => new NotFoundError(r.message, { details }),
    CONFLICT: (r, details) => new ConflictError(r.message, { details }),
    INPUT_INVALID: (r, details) =>
      new InputInvalidError(r.message, { ...(r.field === undefined ? {} : { field: r.field }), details }),
  };

export function refusalError(refusal: Refusal, details: Details): CharterError {
  return REFUSAL_ERRORS[refusal.code](refusal, details);
}

export async function request(
  rt: Runtime,
  runId: string,
  event: EngineEvent,
  details: Details = {},
): Promise<void> {
  const outcome = await applyEvent(rt, runId, event, { kind: "request" });
  const context = { runId, event: event.type, ...details };
  switch (outcome.kind) {
    case "applied":
    case "ignored":
      return;
    case "refused":
      throw refusalError(outcome.refusal, context);
    case "missing":
      throw new NotFoundError(`no run "${runId}"`, { details: context });
    case "stale":
      throw new ConflictError(
        `run "${runId}" changed ${MAX_COMMIT_ATTEMPTS} times while ${event.type} was applied: try again`,
        { details: context },
      );
  }
}
