/**
 * Drives the engine core in tests: feeds events to `transition` at an injected time, keeps the state,
 * fires due timers, and answers the jobs and tasks the commands asked for. Every transition is also
 * checked twice: the input state is deep-frozen (so a mutation throws), and the same event applied
 * to the state after a JSON round trip must give the same result (state is data).
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { parse, stringify } from "yaml";
import { loadCharter } from "../../src/definition/load.js";
import type { Charter } from "../../src/definition/schema.js";
import type { AuditEntry, Command, CommandOf, CommandType } from "../../src/engine/commands.js";
import type { EngineEvent, EventOf, ModelCall } from "../../src/engine/events.js";
import type { EngineOptions } from "../../src/engine/options.js";
import type { RunState, StepError, StepInstance } from "../../src/engine/state.js";
import type { StartResult, TransitionResult } from "../../src/engine/transition.js";
import { startRun, transition } from "../../src/engine/transition.js";

export const T0 = new Date("2025-03-03T09:00:00.000Z");

const HEADER = `
charter: 1
workflow: test
title: Test workflow
owner: team:operations
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [done] }
`;

/** A charter from YAML text, with the top-level fields every test charter needs unless it gives them. */
export function charterFrom(text: string, options: { header?: boolean } = {}): Charter {
  const full =
    options.header === false
      ? text
      : stringify({ ...(parse(HEADER) as object), ...(parse(text) as object) }, { lineWidth: 0 });
  const loaded = loadCharter(full, "test.yaml");
  if (!loaded.charter)
    throw new Error(loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
  return loaded.charter;
}

/** One of the example charters in examples/, loaded and validated. */
export function loadExample(name: string): Charter {
  const text = readFileSync(new URL(`../../examples/${name}.yaml`, import.meta.url), "utf8");
  return charterFrom(text, { header: false });
}

export interface DriverOptions {
  readonly runId?: string;
  readonly initiator?: string;
  readonly input?: unknown;
  readonly start?: Date;
  readonly parent?: { runId: string; instance: string };
  readonly engine?: EngineOptions;
  /** Check non-mutation and JSON rehydration on every transition. @default true */
  readonly checks?: boolean;
}

export const MODEL_CALL: ModelCall = {
  provider: "offline",
  model: "test-model",
  instructionsHash: "abc123",
  inputTokens: 10,
  outputTokens: 5,
  latencyMs: 42,
};

export class RunDriver {
  now: Date;
  /** Every command of every transition so far, in order. */
  readonly history: Command[] = [];
  /** How many transitions were checked against their JSON-rehydrated state. */
  rehydrationChecks = 0;

  private constructor(
    readonly charter: Charter,
    public state: RunState,
    public last: TransitionResult,
    now: Date,
    private readonly options: DriverOptions,
  ) {
    this.now = now;
    this.history.push(...last.commands);
  }

  static async start(charter: Charter, options: DriverOptions = {}): Promise<RunDriver> {
    const result = await startFor(charter, options);
    if (!result.state) throw new Error(`run refused: ${result.refusal.code} ${result.refusal.message}`);
    return new RunDriver(charter, deepFreeze(result.state), result, options.start ?? T0, options);
  }

  async send(event: EngineEvent): Promise<TransitionResult> {
    const frozen = this.state;
    const result = await transition(this.charter, frozen, event, this.now, this.options.engine);
    if (this.options.checks !== false) {
      const rehydrated = JSON.parse(JSON.stringify(frozen)) as RunState;
      const again = await transition(this.charter, rehydrated, event, this.now, this.options.engine);
      expect(again).toEqual(result);
      this.rehydrationChecks++;
    }
    this.last = result;
    this.state = deepFreeze(result.state);
    this.history.push(...result.commands);
    return result;
  }

  /** Moves time forward and fires every timer that is due, earliest first. */
  async advance(ms: number): Promise<void> {
    this.now = new Date(this.now.getTime() + ms);
    await this.fireDueTimers();
  }

  async fireDueTimers(): Promise<void> {
    for (;;) {
      const due = Object.entries(this.state.timers)
        .filter(([, t]) => Date.parse(t.fireAt) <= this.now.getTime())
        .sort(([a, x], [b, y]) => x.fireAt.localeCompare(y.fireAt) || a.localeCompare(b));
      if (due.length === 0 || this.state.status !== "running") return;
      await this.send({ type: "timer.fired", timerId: due[0]![0] });
    }
  }

  /** The latest instance of a step, in any scope. */
  instance(stepId: string): StepInstance {
    const all = this.instances(stepId);
    if (all.length === 0) throw new Error(`no instance of "${stepId}"`);
    return all[all.length - 1]!;
  }

  instances(stepId: string): StepInstance[] {
    return Object.values(this.state.steps).filter((i) => i.stepId === stepId);
  }

  /** Jobs (run-handler or run-model-task) of a step that are still current. */
  jobs(stepId: string): (CommandOf<"run-handler"> | CommandOf<"run-model-task">)[] {
    return this.history.filter(
      (c): c is CommandOf<"run-handler"> | CommandOf<"run-model-task"> =>
        (c.type === "run-handler" || c.type === "run-model-task") &&
        c.stepId === stepId &&
        this.state.steps[c.instance]?.status === "running" &&
        this.state.steps[c.instance]?.attempt === c.attempt,
    );
  }

  job(stepId: string): CommandOf<"run-handler"> | CommandOf<"run-model-task"> {
    const job = this.jobs(stepId)[0];
    if (!job) throw new Error(`no current job for "${stepId}"`);
    return job;
  }

  async succeed(stepId: string, output: unknown = {}): Promise<TransitionResult> {
    const job = this.job(stepId);
    return this.send({ type: "handler.succeeded", instance: job.instance, attempt: job.attempt, output });
  }

  async fail(
    stepId: string,
    code: string,
    retryable = true,
    extra: Partial<StepError> = {},
  ): Promise<TransitionResult> {
    const job = this.job(stepId);
    const error: StepError = { code, message: `${code} happened`, retryable, ...extra };
    const type = job.type === "run-handler" ? "handler.failed" : "model.failed";
    return this.send({ type, instance: job.instance, attempt: job.attempt, error });
  }

  async propose(stepId: string, output: unknown, confidence: number): Promise<TransitionResult> {
    const job = this.job(stepId);
    return this.send({
      type: "model.succeeded",
      instance: job.instance,
      attempt: job.attempt,
      output,
      confidence,
      call: MODEL_CALL,
    });
  }

  /** The open-task command of the step's current task. */
  task(stepId: string): CommandOf<"open-task"> {
    const taskId = this.instance(stepId).taskId;
    const task = this.history.find(
      (c): c is CommandOf<"open-task"> => c.type === "open-task" && c.taskId === taskId,
    );
    if (!task) throw new Error(`no task for "${stepId}"`);
    return task;
  }

  async decide(
    stepId: string,
    by: string,
    outcome: string,
    more: { roles?: string[]; reason?: string; data?: unknown } = {},
  ): Promise<TransitionResult> {
    const { taskId } = this.task(stepId);
    const event: EventOf<"task.decided"> = {
      type: "task.decided",
      taskId,
      by,
      roles: more.roles ?? [],
      outcome,
    };
    return this.send({
      ...event,
      ...(more.reason === undefined ? {} : { reason: more.reason }),
      ...(more.data === undefined ? {} : { data: more.data }),
    });
  }

  /** Commands of one type in the last transition. */
  lastOf<K extends CommandType>(type: K): CommandOf<K>[] {
    return this.last.commands.filter((c): c is CommandOf<K> => c.type === type);
  }

  /** Commands of one type over the whole run. */
  all<K extends CommandType>(type: K): CommandOf<K>[] {
    return this.history.filter((c): c is CommandOf<K> => c.type === type);
  }

  audits(action?: string): AuditEntry[] {
    return this.all("append-audit")
      .map((c) => c.entry)
      .filter((e) => action === undefined || e.action === action);
  }

  /** Step ids of the instances entered so far, in the order they started (ties by key). */
  path(): string[] {
    return Object.values(this.state.steps).map((i) => i.stepId);
  }
}

function startFor(charter: Charter, options: DriverOptions): Promise<StartResult> {
  return startRun(
    charter,
    "v-test",
    {
      type: "run.started",
      runId: options.runId ?? "run-1",
      initiator: options.initiator ?? "user:ivy",
      input: options.input ?? {},
      ...(options.parent ? { parent: options.parent } : {}),
    },
    options.start ?? T0,
    options.engine,
  );
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** How a scenario answers a step: a handler's or model's result, a person's decision, an event. */
export type Responder =
  | { readonly output: unknown }
  | { readonly fail: string; readonly retryable?: boolean; readonly details?: Record<string, unknown> }
  | { readonly propose: unknown; readonly confidence: number }
  | {
      readonly by: string;
      readonly outcome: string;
      readonly roles?: string[];
      readonly reason?: string;
      readonly data?: unknown;
    }
  | { readonly event: string; readonly key: string; readonly data?: unknown };

/**
 * Feeds events in a loop until the run ends: answers each active step that has a responder (the
 * first answer of a list for the first time the step is met, and so on), and when nothing can be
 * answered, moves time to the next timer. Stops early when a step of `stopAt` is active. Returns
 * the step ids in the order they were answered.
 */
export async function playScenario(
  run: RunDriver,
  responders: Readonly<Record<string, Responder | readonly Responder[]>>,
  options: { readonly stopAt?: readonly string[]; readonly maxEvents?: number } = {},
): Promise<string[]> {
  const answered: string[] = [];
  const uses = new Map<string, number>();
  const stopAt = options.stopAt ?? [];
  for (let i = 0; i < (options.maxEvents ?? 200) && run.state.status === "running"; i++) {
    if (run.state.active.some((k) => stopAt.includes(run.state.steps[k]!.stepId))) return answered;
    const instance = run.state.active
      .map((k) => run.state.steps[k]!)
      .find((s) => answerable(s) && responders[s.stepId]);
    if (!instance) {
      const next = Object.values(run.state.timers)
        .map((t) => Date.parse(t.fireAt))
        .sort((a, b) => a - b)[0];
      if (next === undefined) return answered;
      await run.advance(Math.max(0, next - run.now.getTime()));
      continue;
    }
    const given = responders[instance.stepId]!;
    const n = uses.get(instance.stepId) ?? 0;
    uses.set(instance.stepId, n + 1);
    const responder = Array.isArray(given)
      ? (given[Math.min(n, given.length - 1)] as Responder)
      : (given as Responder);
    await respond(run, instance, responder);
    answered.push(instance.stepId);
  }
  return answered;
}

function answerable(instance: StepInstance): boolean {
  return instance.status === "running" || instance.status === "waiting";
}

async function respond(run: RunDriver, instance: StepInstance, responder: Responder): Promise<void> {
  const job = { instance: instance.key, attempt: instance.attempt };
  if ("output" in responder) await run.send({ type: "handler.succeeded", ...job, output: responder.output });
  else if ("fail" in responder) {
    const error = {
      code: responder.fail,
      message: responder.fail,
      retryable: responder.retryable ?? false,
      ...(responder.details ? { details: responder.details } : {}),
    };
    const isAi = run.charter.steps[instance.stepId]?.kind === "ai";
    await run.send(
      isAi ? { type: "model.failed", ...job, error } : { type: "handler.failed", ...job, error },
    );
  } else if ("propose" in responder)
    await run.send({
      type: "model.succeeded",
      ...job,
      output: responder.propose,
      confidence: responder.confidence,
      call: MODEL_CALL,
    });
  else if ("event" in responder)
    await run.send({
      type: "event.received",
      name: responder.event,
      key: responder.key,
      data: responder.data ?? {},
    });
  else {
    const result = await run.send({
      type: "task.decided",
      taskId: instance.taskId!,
      by: responder.by,
      roles: responder.roles ?? [],
      outcome: responder.outcome,
      ...(responder.reason === undefined ? {} : { reason: responder.reason }),
      ...(responder.data === undefined ? {} : { data: responder.data }),
    });
    if (result.refusal)
      throw new Error(`decision on "${instance.stepId}" refused: ${result.refusal.message}`);
  }
}
