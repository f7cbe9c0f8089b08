/**
 * `EngineConfig` (what users pass) -> `ResolvedEngineConfig` (checked, defaults filled in, frozen).
 * The runtime reads only the resolved form.
 */
import { hostname } from "node:os";
import type { Directory } from "../definition/lint/rule.js";
import { resolveEngineOptions } from "../engine/options.js";
import type { ResolvedEngineOptions } from "../engine/options.js";
import { CharterError } from "../errors.js";
import { createOfflineProvider } from "../ai/offline-provider.js";
import type { Store } from "../store/store.js";
import { systemClock } from "./clock.js";
import type { ActionHandler, Clock, EngineConfig, Logger, ModelProvider } from "./engine.js";

export const DEFAULT_ENGINE_CONFIG = Object.freeze({
  concurrency: 8,
  leaseMs: 30_000,
  pollIntervalMs: 1000,
  shutdownGraceMs: 10_000,
});

export interface ResolvedEngineConfig {
  readonly store: Store;
  readonly handlers: ReadonlyMap<string, ActionHandler>;
  readonly models: ModelProvider;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly workerId: string;
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  readonly shutdownGraceMs: number;
  readonly limits: ResolvedEngineOptions;
  readonly logger: Logger;
}

export function resolveEngineConfig(config: EngineConfig): ResolvedEngineConfig {
  if (typeof config?.store?.commitTransition !== "function") invalid("store", config?.store, "a Store");
  return Object.freeze({
    store: config.store,
    handlers: handlerMap(config.handlers ?? []),
    models: config.models ?? createOfflineProvider(),
    directory: config.directory ?? { roles: {} },
    clock: config.clock ?? systemClock,
    workerId: config.workerId ?? `${hostname()}:${process.pid}`,
    concurrency: whole("concurrency", config.concurrency ?? DEFAULT_ENGINE_CONFIG.concurrency, 1),
    leaseMs: whole("leaseMs", config.leaseMs ?? DEFAULT_ENGINE_CONFIG.leaseMs, 1),
    pollIntervalMs: whole("pollIntervalMs", config.pollIntervalMs ?? DEFAULT_ENGINE_CONFIG.pollIntervalMs, 1),
    shutdownGraceMs: whole(
      "shutdownGraceMs",
      config.shutdownGraceMs ?? DEFAULT_ENGINE_CONFIG.shutdownGraceMs,
      0,
    ),
    limits: resolveEngineOptions(config.limits),
    logger: config.logger ?? stderrLogger,
  });
}

function handlerMap(handlers: readonly ActionHandler[]): Map<string, ActionHandler> {
  const map = new Map<string, ActionHandler>();
  for (const handler of handlers) {
    if (typeof handler?.name !== "string" || typeof handler.run !== "function")
      invalid("handlers", handler, "handlers made with defineAction (a name and a run function)");
    if (map.has(handler.name))
      invalid("handlers", handler.name, "handlers with distinct names: this name is registered twice");
    map.set(handler.name, handler);
  }
  return map;
}

function whole(option: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) invalid(option, value, `a whole number, ${min} or more`);
  return value;
}

function invalid(option: string, value: unknown, expected: string): never {
  throw new CharterError(
    "INVALID_OPTION",
    `engine option "${option}" must be ${expected}, not ${describe(value)}`,
    {
      details: { option },
    },
  );
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return "an object of another shape";
  return String(value);
}

/** Warnings and errors as JSON lines on stderr, so a worker with no logger still says what went wrong. */
const stderrLogger: Logger = {
  warn: (fields, message) => writeLine("warn", fields, message),
  error: (fields, message) => writeLine("error", fields, message),
};

function writeLine(level: string, fields: Record<string, unknown>, message: string): void {
  const { err, ...rest } = fields;
  const error = err instanceof Error ? { err: { message: err.message, stack: err.stack } } : {};
  process.stderr.write(`${JSON.stringify({ level, msg: message, ...rest, ...error })}\n`);
}
