/**
 * What stands between a model and a run: the output must satisfy the model task's JSON Schema and
 * the confidence must be a number from 0 to 1, or the call fails (`OUTPUT_INVALID`, retried, since
 * another call may well answer correctly). Every call is recorded for the audit trail: provider,
 * model, SHA-256 of the instructions, tokens and latency.
 */
import { createHash } from "node:crypto";
import type { Charter, ModelTask } from "../definition/schema.js";
import type { ModelCall } from "../engine/events.js";
import { checkSchema } from "../engine/json-schema.js";
import type { StepError } from "../engine/state.js";

export function instructionsHash(instructions: string): string {
  return createHash("sha256").update(instructions, "utf8").digest("hex");
}

export function modelCall(fields: {
  provider: string;
  model: string;
  instructions: string;
  latencyMs: number;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
}): ModelCall {
  return {
    provider: fields.provider,
    model: fields.model,
    instructionsHash: instructionsHash(fields.instructions),
    ...(isCount(fields.inputTokens) ? { inputTokens: fields.inputTokens } : {}),
    ...(isCount(fields.outputTokens) ? { outputTokens: fields.outputTokens } : {}),
    latencyMs: Math.max(0, Math.round(fields.latencyMs)),
  };
}

export type CheckedResponse =
  | { readonly ok: true; readonly output: unknown; readonly confidence: number }
  | { readonly ok: false; readonly error: StepError };

/** Checks a model's answer against the model task (of `charter`, whose Ajv caches the schema). */
export function checkModelResponse(
  charter: Charter,
  task: ModelTask,
  taskId: string,
  response: { readonly output: unknown; readonly confidence: unknown },
): CheckedResponse {
  const invalid = (message: string, field?: string): CheckedResponse => ({
    ok: false,
    error: {
      code: "OUTPUT_INVALID",
      message: `model task "${taskId}": ${message}`,
      retryable: true,
      ...(field === undefined ? {} : { details: { field } }),
    },
  });
  const { confidence } = response;
  if (typeof confidence !== "number" || !Number.isFinite(confidence) || confidence < 0 || confidence > 1)
    return invalid(`the confidence must be a number from 0 to 1, not ${String(confidence)}`);
  let output: unknown;
  try {
    output = JSON.parse(JSON.stringify(response.output ?? null)) as unknown;
  } catch {
    // A cycle or a BigInt cannot be state.
    return invalid("the output is not JSON");
  }
  if (task.output === undefined)
    return invalid("the model task has no output schema to check the output with");
  const check = checkSchema(charter, task.output as Record<string, unknown>, output);
  if (!check.ok)
    return invalid(`the output does not satisfy the output schema: ${check.message}`, check.field);
  return { ok: true, output, confidence };
}

function isCount(value: number | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
