/**
 * Model jobs: an `ai` step's model task, run through the ModelProvider with an AbortSignal for the
 * step's timeout. The answer is checked (output schema, confidence) and the call recorded, then
 * reported as `model.succeeded` or `model.failed` for the same instance and attempt.
 */
import { checkModelResponse, modelCall } from "../ai/guardrails.js";
import type { Charter } from "../definition/schema.js";
import type { CommandOf } from "../engine/commands.js";
import type { EngineEvent, ModelCall } from "../engine/events.js";
import { checkSchema } from "../engine/json-schema.js";
import type { StepError } from "../engine/state.js";
import type { ModelResponse } from "./engine.js";
import { timeoutStepError } from "./handlers.js";
import { createJobSignal, untilAborted } from "./job-signal.js";
import type { ResolvedEngineConfig } from "./options.js";
import { stepError, toStepError } from "./step-errors.js";

/** Undefined when the worker was forced to stop before the call ended (the job is retried elsewhere). */
export async function runModelJob(
  config: ResolvedEngineConfig,
  charter: Charter,
  command: CommandOf<"run-model-task">,
  shutdown?: AbortSignal,
): Promise<EngineEvent | undefined> {
  const job = { instance: command.instance, attempt: command.attempt };
  const failed = (error: StepError, call?: ModelCall): EngineEvent => ({
    type: "model.failed",
    ...job,
    error,
    ...(call ? { call } : {}),
  });
  const task = charter.model_tasks?.[command.modelTask];
  if (!task)
    return failed(stepError("MODEL_FAILED", `the charter has no model task "${command.modelTask}"`, false));
  if (task.input !== undefined) {
    const check = checkSchema(charter, task.input, command.input);
    if (!check.ok)
      return failed(
        stepError(
          "INPUT_INVALID",
          `the input of model task "${command.modelTask}" is invalid: ${check.message}`,
          false,
          {
            field: check.field,
          },
        ),
      );
  }
  const { models, clock } = config;
  const js = createJobSignal(clock, command.timeoutMs, shutdown);
  const started = clock.now().getTime();
  const call = (response?: ModelResponse) =>
    modelCall({
      provider: models.name,
      model: response?.model ?? task.model ?? models.name,
      instructions: task.instructions,
      latencyMs: clock.now().getTime() - started,
      inputTokens: response?.inputTokens,
      outputTokens: response?.outputTokens,
    });
  try {
    const response = await untilAborted(
      () =>
        models.complete({
          modelTask: command.modelTask,
          instructions: task.instructions,
          ...(task.model === undefined ? {} : { model: task.model }),
          input: command.input,
          outputSchema: task.output ?? {},
          signal: js.signal,
        }),
      js.signal,
    );
    const record = call(response);
    const checked = checkModelResponse(charter, task, command.modelTask, response);
    if (!checked.ok) return failed(checked.error, record);
    return {
      type: "model.succeeded",
      ...job,
      output: checked.output,
      confidence: checked.confidence,
      call: record,
    };
  } catch (error) {
    if (js.timedOut()) return failed(timeoutStepError(command.timeoutMs), call());
    if (shutdown?.aborted) return undefined;
    return failed(toStepError(error, "MODEL_FAILED"), call());
  } finally {
    js.dispose();
  }
}
