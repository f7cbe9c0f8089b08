/**
 * The offline model provider: deterministic, no network, no model. Given a model task and its input
 * it answers with an output that satisfies the task's output schema and a confidence, the same
 * every time for the same request. It is the default provider, so charters with `ai` steps run in
 * tests, demos and CI without keys; real providers (the Vercel AI SDK) replace it in production.
 *
 * - **Output.** Each property of the output schema whose name matches a field of the input takes
 *   that field's value when it fits the property's schema; required properties that match nothing
 *   get a typed default (`const`, `default`, first `enum` value or example, else the simplest value
 *   of the type that meets its bounds, format and pattern; null where null is allowed). Canned
 *   outputs per model task can be given with `outputs`.
 * - **Confidence.** `input._confidence` or `input.confidence` when it is a number from 0 to 1 (a
 *   hint for demos), else `options.confidence`, else a stable value from 0.5 to 0.99 derived from a
 *   SHA-256 of the model task and the input.
 * - **Call record.** The model is `offline`; tokens are estimated as a quarter of the JSON length.
 */
import { createHash } from "node:crypto";
import { createSchemaCompiler } from "../engine/json-schema.js";
import { canonicalJson } from "../docs/hash.js";
import type { ModelProvider, ModelRequest, ModelResponse } from "../runtime/engine.js";
import { sampleValue } from "./sample-value.js";

export interface OfflineProviderOptions {
  /** A fixed confidence (0 to 1) for requests whose input gives no hint. @default derived from the input */
  readonly confidence?: number;
  /** Canned outputs by model task id: a value, or a function of the input. @default built from the schema */
  readonly outputs?: Readonly<Record<string, unknown>>;
}

export const OFFLINE_MODEL = "offline";

export function createOfflineProvider(options: OfflineProviderOptions = {}): ModelProvider {
  const fits = createSchemaCheck();
  return {
    name: "offline",
    async complete(request: ModelRequest): Promise<ModelResponse> {
      request.signal.throwIfAborted();
      const canned = options.outputs?.[request.modelTask];
      const output =
        canned === undefined
          ? sampleValue(request.outputSchema, request.input, { fits })
          : typeof canned === "function"
            ? (canned as (input: unknown) => unknown)(request.input)
            : structuredClone(canned);
      return {
        output,
        confidence: offlineConfidence(request, options.confidence),
        model: OFFLINE_MODEL,
        inputTokens: estimateTokens(request.instructions) + estimateTokens(request.input),
        outputTokens: estimateTokens(output),
      };
    },
  };
}

/** The input's hint, else the fixed option, else a stable value in [0.5, 0.99] from a hash. */
export function offlineConfidence(
  request: Pick<ModelRequest, "modelTask" | "input">,
  fixed?: number,
): number {
  const input = request.input as Record<string, unknown> | null | undefined;
  const hint =
    typeof input === "object" && input !== null ? (input._confidence ?? input.confidence) : undefined;
  if (isUnit(hint)) return hint;
  if (isUnit(fixed)) return fixed;
  const digest = createHash("sha256")
    .update(canonicalJson({ modelTask: request.modelTask, input: request.input ?? null }), "utf8")
    .digest();
  return Math.round((0.5 + (digest.readUInt32BE(0) / 2 ** 32) * 0.49) * 100) / 100;
}

function isUnit(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1;
}

function estimateTokens(value: unknown): number {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  return Math.ceil(text.length / 4);
}

/** Checks values against sub-schemas, each compiled once (schemas are objects of a loaded charter). */
function createSchemaCheck(): (schema: Readonly<Record<string, unknown>>, value: unknown) => boolean {
  const compile = createSchemaCompiler();
  // A sub-schema that does not compile alone (a $ref into its parent) cannot vouch for a value.
  return (schema, value) => {
    const validate = compile(schema);
    return !(validate instanceof Error) && validate(value) === true;
  };
}
