/**
 * Runtime tests: a real SQLite store in a temp file, a manual clock, and charters that lint clean
 * (deploy lints). `openEngine` returns everything a test needs; `closeAll` (in afterEach) closes
 * every engine and removes the files.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadDirectory } from "../../src/definition/directory.js";
import type { Directory } from "../../src/definition/lint/rule.js";
import { loadCharter } from "../../src/definition/load.js";
import type { Charter } from "../../src/definition/schema.js";
import { createManualClock } from "../../src/runtime/clock.js";
import type { ManualClock } from "../../src/runtime/clock.js";
import { createEngine } from "../../src/runtime/create-engine.js";
import type { Engine, EngineConfig } from "../../src/runtime/engine.js";
import { createSqliteStore } from "../../src/store/sqlite/index.js";
import type { SqliteStore } from "../../src/store/sqlite/index.js";
import type { BatchWrite, Store } from "../../src/store/store.js";

export const T0 = "2025-03-03T09:00:00.000Z";
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface TestEngine {
  readonly engine: Engine;
  readonly store: SqliteStore;
  readonly clock: ManualClock;
  readonly file: string;
  readonly dir: string;
}

const open: { engine: Engine; dir: string }[] = [];
const QUIET = { warn: () => {}, error: () => {} };

/** An engine over a fresh SQLite file, with a manual clock at T0 unless the config gives a clock. */
export function openEngine(config: Partial<EngineConfig> & { file?: string } = {}): TestEngine {
  const dir = mkdtempSync(path.join(tmpdir(), "charter-runtime-"));
  const file = config.file ?? path.join(dir, "charter.db");
  const store = createSqliteStore({ path: file, synchronous: "NORMAL" });
  const clock = createManualClock(T0);
  const engine = createEngine({ clock, logger: QUIET, ...config, store });
  open.push({ engine, dir });
  return { engine, store, clock: (config.clock as ManualClock | undefined) ?? clock, file, dir };
}

/** A second engine (another "worker") on the same file. */
export function openSecondEngine(first: TestEngine, config: Partial<EngineConfig> = {}): TestEngine {
  const store = createSqliteStore({ path: first.file, synchronous: "NORMAL" });
  const engine = openEngineOver(store, { clock: first.clock, ...config });
  return { ...first, engine, store };
}

/**
 * An engine over `store` (another store, or a wrapper of a test engine's store), closed by
 * `closeAll` with the others. The system clock unless the config gives one.
 */
export function openEngineOver(store: Store, config: Partial<EngineConfig> = {}): Engine {
  const engine = createEngine({ logger: QUIET, ...config, store });
  open.push({ engine, dir: "" });
  return engine;
}

/**
 * `store` with a `commitBatch` that throws `error` for the first `times` batches that `when` picks,
 * as if the connection dropped; `left()` is how many of those failures are still to come.
 */
export function flakyCommits(
  store: Store,
  when: (writes: readonly BatchWrite[]) => boolean,
  error: Error,
  times = 1,
): { store: Store; left: () => number } {
  let left = times;
  const flaky: Store = {
    ...store,
    commitBatch: async (writes) => {
      if (left > 0 && when(writes)) {
        left--;
        throw error;
      }
      return store.commitBatch(writes);
    },
  };
  return { store: flaky, left: () => left };
}

export async function closeAll(): Promise<void> {
  for (const { engine, dir } of open.splice(0)) {
    await engine.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** A charter from YAML text that must load without errors; with its text for deploy. */
export function charterOf(text: string): { charter: Charter; source: string } {
  const loaded = loadCharter(text, "test.yaml");
  if (!loaded.charter)
    throw new Error(loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
  return { charter: loaded.charter, source: text };
}

export function example(name: string): { charter: Charter; source: string } {
  return charterOf(readFileSync(new URL(`../../examples/${name}.yaml`, import.meta.url), "utf8"));
}

export function exampleDirectory(): Directory {
  const text = readFileSync(new URL("../../examples/directory.yaml", import.meta.url), "utf8");
  const loaded = loadDirectory(text, "directory.yaml");
  if (!loaded.directory) throw new Error("examples/directory.yaml does not load");
  return loaded.directory;
}

/** A deferred promise: tests await handler calls instead of sleeping. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Purchase request: a handler checks the budget (retried, OVER_BUDGET routed), a decision sends
 * small amounts straight to ordering and the rest to an approval (not by the initiator), and an
 * irreversible, idempotent order ends the run.
 */
export const PURCHASE = `
charter: 1
workflow: purchase-request
title: Purchase request
owner: team:operations
triggers: [{ manual: {} }]
input:
  schema:
    type: object
    required: [item, amount]
    properties:
      item: { type: string }
      amount: { type: number }
  on_invalid: reject
success: { outcomes: [ordered, declined] }
roles:
  approver: { description: Approves purchases, members: [user:amy, user:ben] }
start: check-budget
steps:
  check-budget:
    kind: action
    owner: team:operations
    handler: budget.check
    timeout: 30s
    retry: { max_attempts: 3, backoff: exponential, initial: 1s }
    on_error: { OVER_BUDGET: declined, default: exception }
    next: route
  route:
    kind: decision
    owner: team:operations
    policy: Purchasing policy v1
    rules:
      - name: small purchase
        when: "input.amount <= 100"
        goto: place-order
    default: approve
  approve:
    kind: approval
    owner: role:approver
    assignee: role:approver
    not_by: [initiator]
    require_reason: true
    shows: [input]
    due: 1d
    expire: { after: 3d, goto: declined }
    outcomes: { approved: place-order, rejected: declined }
  place-order:
    kind: action
    owner: team:operations
    handler: orders.place
    irreversible: true
    idempotency: "run.id & '-order'"
    timeout: 30s
    retry: { max_attempts: 2, backoff: fixed, initial: 1s }
    on_error: { default: exception }
    next: ordered
  ordered: { kind: end, outcome: ordered }
  declined: { kind: end, outcome: declined }
`;
