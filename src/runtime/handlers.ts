/**
 * Handlers: `defineAction` declares one (with optional zod schemas for its input and output), and
 * the worker calls it for a `run-handler` job with the step's idempotency key and an AbortSignal
 * for its timeout. The call's result becomes `handler.succeeded` or `handler.failed` for the same
 * instance and attempt.
 */
import type { z } from "zod";
import { HANDLER_PATTERN } from "../definition/schema.js";
import type { CommandOf } from "../engine/commands.js";
import type { EngineEvent } from "../engine/events.js";
import type { StepError } from "../engine/state.js";
import { CharterError } from "../errors.js";
import type { ActionContext, ActionHandler } from "./engine.js";
import { NonRetryableError } from "./handler-errors.js";
import { createJobSignal, untilAborted } from "./job-signal.js";
import type { ResolvedEngineConfig } from "./options.js";
import { stepError, toStepError } from "./step-errors.js";

export interface ActionDefinition<I, O> {
  /** The name charters use in `handler:`, dotted identifiers such as `erp.matchPurchaseOrder`. */
  readonly name: string;
  /** Checks (and may transform) the input; a mismatch fails the step with INPUT_INVALID, not retried. */
  readonly input?: z.ZodType<I>;
  /** Checks the output; a mismatch fails the step with OUTPUT_INVALID, not retried. */
  readonly output?: z.ZodType<O>;
  run(input: I, context: ActionContext): Promise<O> | O;
}

/** Declare a handler for `action` steps. */
export function defineAction<I = unknown, O = unknown>(
  definition: ActionDefinition<I, O>,
): ActionHandler<I, O> {
  const { name, input, output } = definition;
  if (typeof name !== "string" || !HANDLER_PATTERN.test(name))
    throw new CharterError(
      "INVALID_OPTION",
      `a handler name is dotted identifiers such as "erp.matchPurchaseOrder", not ${JSON.stringify(name)}`,
      { details: { option: "name" } },
    );
  return Object.freeze({
    name,
    async run(given: I, context: ActionContext): Promise<O> {
      const value = input ? parsed(input, given, "INPUT_INVALID", `input of handler "${name}"`) : given;
      const result = await definition.run(value, context);
      return output ? parsed(output, result, "OUTPUT_INVALID", `output of handler "${name}"`) : result;
    },
  });
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, code: string, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? issue.path.map((p) => `/${String(p)}`).join("") : "";
  throw new NonRetryableError(
    `the ${what} is invalid${field ? ` at ${field}` : ""}: ${issue?.message ?? "invalid"}`,
    {
      code,
      details: { field },
    },
  );
}

/**
 * Calls the job's handler. Undefined when the worker was forced to stop before the call ended:
 * nothing is reported, the lease expires and another worker retries the job.
 */
export async function runHandlerJob(
  config: ResolvedEngineConfig,
  runId: string,
  command: CommandOf<"run-handler">,
  shutdown?: AbortSignal,
): Promise<EngineEvent | undefined> {
  const job = { instance: command.instance, attempt: command.attempt };
  const failed = (error: StepError): EngineEvent => ({ type: "handler.failed", ...job, error });
  const handler = config.handlers.get(command.handler);
  if (!handler)
    return failed(
      stepError(
        "HANDLER_NOT_FOUND",
        `no handler "${command.handler}" is registered in worker ${config.workerId}: pass it to createEngine({ handlers })`,
        false,
        { handler: command.handler },
      ),
    );
  const js = createJobSignal(config.clock, command.timeoutMs, shutdown);
  const context: ActionContext = {
    idempotencyKey: command.idempotencyKey,
    attempt: command.attempt,
    runId,
    stepId: command.stepId,
    signal: js.signal,
  };
  try {
    const output = await untilAborted(() => handler.run(command.input, context), js.signal);
    const json = toJson(output);
    if (!json.ok)
      return failed(
        stepError("OUTPUT_INVALID", `handler "${command.handler}" returned a value that is not JSON`, false),
      );
    return { type: "handler.succeeded", ...job, output: json.value };
  } catch (error) {
    if (js.timedOut()) return failed(timeoutStepError(command.timeoutMs));
    if (shutdown?.aborted) return undefined;
    return failed(toStepError(error, "HANDLER_FAILED"));
  } finally {
    js.dispose();
  }
}

export function timeoutStepError(timeoutMs: number): StepError {
  return stepError("TIMEOUT", "the step took longer than its timeout", true, { timeoutMs });
}

/** State is data: an output must survive a JSON round trip unchanged (a Date becomes its text). */
export function toJson(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (value === undefined) return { ok: true, value: undefined };
  try {
    const text = JSON.stringify(value);
    return text === undefined ? { ok: false } : { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // A cycle or a BigInt: not JSON, reported as OUTPUT_INVALID by the caller.
    return { ok: false };
  }
}
