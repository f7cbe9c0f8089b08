/** Runs through the facade: start one, read one, its timeline, and the audit chain check. */
import { randomBytes } from "node:crypto";
import type { ChainVerdict } from "../audit/chain.js";
import { verifyAuditChain } from "../audit/chain.js";
import type { EngineEvent } from "../engine/events.js";
import type { RunState } from "../engine/state.js";
import { startRun } from "../engine/transition.js";
import { InputInvalidError, NotFoundError } from "../errors.js";
import type { RunSummary, StoredAuditRecord } from "../store/store.js";
import { PAGE_LIMITS } from "../store/store.js";
import { requireLatest } from "./charters.js";
import { createRun } from "./commit.js";
import type { Runtime } from "./context.js";
import type { RunView, TimelineEntry } from "./engine.js";
import { toJson } from "./handlers.js";
import { requireActor } from "./validate.js";

export interface StartOptions {
  readonly input: unknown;
  readonly as: string;
  readonly idempotencyKey?: string;
}

export async function start(
  rt: Runtime,
  workflow: string,
  options: StartOptions,
): Promise<{ runId: string; created: boolean }> {
  const initiator = requireActor(options.as);
  const input = toJson(options.input);
  if (!input.ok || input.value === undefined)
    throw new InputInvalidError(`the run's input must be JSON data`, { field: "", details: { workflow } });
  const { charter, version } = await requireLatest(rt.charters, workflow);
  const now = rt.config.clock.now();
  const event = { type: "run.started" as const, runId: newRunId(), input: input.value, initiator };
  const result = await startRun(charter, version, event, now, rt.config.limits);
  if (!result.state)
    throw new InputInvalidError(`workflow "${workflow}": ${result.refusal.message}`, {
      ...(result.refusal.field === undefined ? {} : { field: result.refusal.field }),
      details: { workflow, version },
    });
  return createRun(rt, {
    state: result.state,
    event,
    commands: result.commands,
    at: now.toISOString(),
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
  });
}

/**
 * `run_` and 24 hex characters, the shape of the engine's derived ids: the wall-clock millisecond
 * (12 hex digits), then 12 random ones. Ids that grow with time put the rows of runs started
 * together (their state, history and audit, all keyed by run id) on the same pages of the store's
 * indexes, so a batch of their transitions writes a few pages instead of one page per run.
 */
export function newRunId(now = Date.now()): string {
  return `run_${now.toString(16).padStart(12, "0")}${randomBytes(6).toString("hex")}`;
}

export async function getRun(rt: Runtime, runId: string): Promise<RunView | undefined> {
  const stored = await rt.config.store.getRun(runId);
  return stored ? { summary: summaryOf(stored.state), state: stored.state } : undefined;
}

export function summaryOf(state: RunState): RunSummary {
  return {
    runId: state.runId,
    workflow: state.workflow,
    version: state.version,
    status: state.status,
    initiator: state.initiator,
    startedAt: state.startedAt,
    ...(state.endedAt === undefined ? {} : { endedAt: state.endedAt }),
    ...(state.outcome === undefined ? {} : { outcome: state.outcome }),
    ...(state.success === undefined ? {} : { success: state.success }),
    seq: state.seq,
  };
}

/**
 * What happened, in time order: each event applied (history) and each audit record. At the same
 * instant, the events come before the audit records they caused.
 */
export async function timeline(rt: Runtime, runId: string): Promise<TimelineEntry[]> {
  const { store } = rt.config;
  if (!(await store.getRun(runId))) throw new NotFoundError(`no run "${runId}"`, { details: { runId } });
  const [history, audit] = await Promise.all([store.history(runId), store.auditTrail(runId)]);
  // An event the audit trail also records under the same name (run.started) is shown once.
  const audited = new Set(audit.map((record) => `${record.at}|${record.action}`));
  const events = history.filter((h) => !audited.has(`${h.at}|${h.event.type}`));
  const entries = [...events.map((h) => eventEntry(h.at, h.event)), ...audit.map(auditEntry)];
  return entries
    .map((entry, index) => ({ entry, index, ms: Date.parse(entry.at) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map(({ entry }) => entry);
}

function eventEntry(at: string, event: EngineEvent): TimelineEntry {
  const e = event as EngineEvent & Partial<Record<"by" | "initiator" | "instance", string>>;
  const actor = e.by ?? e.initiator;
  const step = e.instance === undefined ? undefined : stepOfInstance(e.instance);
  const detail = eventDetail(event);
  return {
    at,
    what: event.type,
    ...(actor === undefined ? {} : { actor }),
    ...(step === undefined ? {} : { step }),
    ...(detail === undefined ? {} : { detail }),
  };
}

function eventDetail(event: EngineEvent): string | undefined {
  switch (event.type) {
    case "handler.failed":
    case "model.failed":
    case "child.failed":
      return event.error.code;
    case "task.decided":
    case "child.ended":
      return event.outcome;
    case "event.received":
      return `${event.name} ${event.key}`;
    case "exception.retried":
    case "run.cancelled":
      return event.reason;
    case "exception.skipped":
      return `to ${event.to}: ${event.reason}`;
    default:
      return undefined;
  }
}

function auditEntry(record: StoredAuditRecord): TimelineEntry {
  const details = record.details ?? {};
  const detail =
    record.reason ??
    (typeof details.outcome === "string" ? details.outcome : undefined) ??
    (typeof details.code === "string" ? details.code : undefined);
  return {
    at: record.at,
    what: record.action,
    actor: record.actor,
    ...(record.step === undefined ? {} : { step: record.step }),
    ...(detail === undefined ? {} : { detail }),
  };
}

/** `scope/step#visit` -> `step`. */
function stepOfInstance(instance: string): string {
  const last = instance.slice(instance.lastIndexOf("/") + 1);
  const hash = last.lastIndexOf("#");
  return hash < 0 ? last : last.slice(0, hash);
}

export async function verifyAudit(
  rt: Runtime,
  runId?: string,
): Promise<{ runId: string; verdict: ChainVerdict }[]> {
  const { store } = rt.config;
  const ids = runId === undefined ? await allRunIds(rt) : [runId];
  const verdicts: { runId: string; verdict: ChainVerdict }[] = [];
  for (const id of ids) {
    const stored = await store.getRun(id);
    if (!stored) throw new NotFoundError(`no run "${id}"`, { details: { runId: id } });
    const records = await store.auditTrail(id);
    verdicts.push({ runId: id, verdict: verifyAuditChain(id, records, stored.auditHead) });
  }
  return verdicts;
}

async function allRunIds(rt: Runtime): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await rt.config.store.listRuns({ limit: PAGE_LIMITS.max, ...(after ? { after } : {}) });
    ids.push(...page.items.map((run) => run.runId));
    after = page.next;
  } while (after !== undefined);
  return ids;
}
