/**
 * Charter's public API. Explicit named exports only: what is listed here is the contract.
 */
export { defineWorkflow, isDefinedWorkflow } from "./definition/define.js";
export type { DefinedWorkflow } from "./definition/define.js";
export { loadCharter, loadCharterValue } from "./definition/load.js";
export type { LoadedCharter } from "./definition/load.js";
export { lintCharter, lintLoadedCharter } from "./definition/lint/lint.js";
export type { Directory, LintOptions, Rule } from "./definition/lint/rule.js";
export { ALL_RULES } from "./definition/lint/rules/index.js";
export { loadDirectory } from "./definition/directory.js";
export type { Diagnostic, Severity } from "./definition/diagnostic.js";
export { hasErrors } from "./definition/diagnostic.js";
export type { DefinitionLimits, ResolvedDefinitionLimits } from "./definition/limits.js";
export { DEFAULT_DEFINITION_LIMITS, resolveDefinitionLimits } from "./definition/limits.js";
export { charterJsonSchema } from "./definition/json-schema.js";
export { buildGraph } from "./definition/graph.js";
export type { CharterGraph, Edge, EdgeKind } from "./definition/graph.js";
export { parseDuration, formatDuration } from "./definition/duration.js";
export { charterSchema, STEP_KINDS } from "./definition/schema.js";
export type {
  Charter,
  CharterDefinition,
  ModelTask,
  Step,
  StepKind,
  StepOf,
  Trigger,
} from "./definition/schema.js";
export { charterHash, findStaleDocs, renderDocs, renderMermaid } from "./docs/index.js";
export type { DocsSource, GeneratedFile, StaleDoc } from "./docs/index.js";
export { compileExpression } from "./expr/compile.js";
export type { CompiledExpression, CompileResult } from "./expr/compile.js";
export { evaluateExpression } from "./expr/evaluate.js";
export type { EvaluateOptions } from "./expr/evaluate.js";
export { ExpressionError, isExpressionError } from "./expr/errors.js";
export {
  CharterError,
  ConflictError,
  DefinitionError,
  ERROR_CODES,
  ForbiddenError,
  InputInvalidError,
  isCharterError,
  NotFoundError,
  StoreError,
} from "./errors.js";
export type { ErrorCode } from "./errors.js";
export { CHARTER_VERSION } from "./version.js";
export { createEngine } from "./runtime/create-engine.js";
export type {
  ActionContext,
  ActionHandler,
  Clock,
  Engine,
  EngineConfig,
  Logger,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  RunView,
  TimelineEntry,
} from "./runtime/engine.js";
export { defineAction } from "./runtime/handlers.js";
export type { ActionDefinition } from "./runtime/handlers.js";
export {
  isNonRetryableError,
  isRetryAfterError,
  NonRetryableError,
  RetryAfterError,
} from "./runtime/handler-errors.js";
export type { HandlerErrorOptions } from "./runtime/handler-errors.js";
export { createManualClock, systemClock } from "./runtime/clock.js";
export type { ManualClock } from "./runtime/clock.js";
export { DEFAULT_ENGINE_CONFIG } from "./runtime/options.js";
export { createOfflineProvider, offlineConfidence } from "./ai/offline-provider.js";
export type { OfflineProviderOptions } from "./ai/offline-provider.js";
export { createSqliteStore } from "./store/sqlite/index.js";
export type { SqliteStore, SqliteStoreOptions } from "./store/sqlite/index.js";
export type {
  CharterVersion,
  ExceptionItem,
  Page,
  RunSummary,
  Store,
  Task,
  TaskStatus,
} from "./store/store.js";
export type { ChainVerdict } from "./audit/chain.js";
export type { EngineOptions } from "./engine/options.js";
