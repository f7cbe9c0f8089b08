/**
 * Options of the engine core: limits only, nothing that does I/O. `resolveEngineOptions` fills in the
 * defaults once; the runtime passes the same resolved options to every transition of a run.
 */

export interface EngineOptions {
  /**
   * Longest evaluation of one expression, in milliseconds.
   * @default 1000
   */
  readonly expressionTimeoutMs?: number;
  /**
   * Deepest expression evaluation nesting.
   * @default 1000
   */
  readonly expressionMaxDepth?: number;
  /**
   * Largest expression result, in bytes of its JSON text.
   * @default 1048576 (1 MiB)
   */
  readonly expressionMaxResultBytes?: number;
  /**
   * The monotonic clock that bounds expression evaluation (tests pass a manual one). It limits how
   * long an evaluation may run; it never changes a result that completes in time.
   * @default performance.now
   */
  readonly expressionClock?: () => number;
  /**
   * How long a job may take when its step sets no `timeout`, in milliseconds (the linter requires one on actions; on `ai` steps it is optional).
   * @default 300000 (5 minutes)
   */
  readonly defaultTimeoutMs?: number;
  /**
   * Most steps one transition may enter before the step being entered goes to the exception queue
   * with `STEP_LIMIT`: a loop of decisions that never waits would otherwise never end.
   * @default 1000
   */
  readonly maxStepsPerTransition?: number;
}

export interface ResolvedEngineOptions {
  readonly expressionTimeoutMs: number;
  readonly expressionMaxDepth: number;
  readonly expressionMaxResultBytes: number;
  readonly expressionClock: (() => number) | undefined;
  readonly defaultTimeoutMs: number;
  readonly maxStepsPerTransition: number;
}

export const DEFAULT_ENGINE_OPTIONS = Object.freeze({
  expressionTimeoutMs: 1000,
  expressionMaxDepth: 1000,
  expressionMaxResultBytes: 1024 * 1024,
  defaultTimeoutMs: 300_000,
  maxStepsPerTransition: 1000,
});

export function resolveEngineOptions(options: EngineOptions = {}): ResolvedEngineOptions {
  return Object.freeze({
    expressionTimeoutMs: options.expressionTimeoutMs ?? DEFAULT_ENGINE_OPTIONS.expressionTimeoutMs,
    expressionMaxDepth: options.expressionMaxDepth ?? DEFAULT_ENGINE_OPTIONS.expressionMaxDepth,
    expressionMaxResultBytes:
      options.expressionMaxResultBytes ?? DEFAULT_ENGINE_OPTIONS.expressionMaxResultBytes,
    expressionClock: options.expressionClock,
    defaultTimeoutMs: options.defaultTimeoutMs ?? DEFAULT_ENGINE_OPTIONS.defaultTimeoutMs,
    maxStepsPerTransition: options.maxStepsPerTransition ?? DEFAULT_ENGINE_OPTIONS.maxStepsPerTransition,
  });
}
