/** The exception queue through the facade: an operator retries, skips or cancels, with a reason. */
import { afterEach, describe, expect, it } from "vitest";
import { charterOf, closeAll, openEngine } from "../../test/helpers/runtime.js";
import { isCharterError } from "../errors.js";
import { defineAction } from "./handlers.js";
import { NonRetryableError } from "./handler-errors.js";

afterEach(closeAll);

const SYNC = charterOf(`
charter: 1
workflow: ledger-sync
title: Ledger sync
owner: team:finance-ops
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [synced, skipped] }
start: sync
steps:
  sync:
    kind: action
    owner: team:finance-ops
    handler: ledger.sync
    timeout: 30s
    on_error: { LEDGER_MISSING: fallback, default: exception }
    next: synced
  fallback:
    kind: action
    owner: team:finance-ops
    handler: ledger.flag
    timeout: 30s
    on_error: { default: exception }
    next: skipped
  synced: { kind: end, outcome: synced }
  skipped: { kind: end, outcome: skipped }
`);

async function setup() {
  let healthy = false;
  const calls: string[] = [];
  const t = openEngine({
    handlers: [
      defineAction({
        name: "ledger.sync",
        run: async () => {
          calls.push("sync");
          if (!healthy) throw new NonRetryableError("ledger locked", { code: "LEDGER_LOCKED" });
          return { synced: true };
        },
      }),
      defineAction({ name: "ledger.flag", run: async () => (calls.push("flag"), { flagged: true }) }),
    ],
  });
  await t.engine.deploy(SYNC.charter, SYNC.source);
  const { runId } = await t.engine.start("ledger-sync", { input: {}, as: "user:olga" });
  await t.engine.runUntilIdle();
  const [item] = (await t.engine.listExceptions()).items;
  const heal = () => (healthy = true);
  return { ...t, runId, item: item!, calls, heal };
}

describe("exception queue", () => {
  it("an unrouted failure waits in the queue with its owner's workflow and error", async () => {
    const t = await setup();
    expect(t.item).toMatchObject({
      runId: t.runId,
      workflow: "ledger-sync",
      instance: "root/sync#1",
      stepId: "sync",
      error: { code: "LEDGER_LOCKED", message: "ledger locked" },
    });
  });

  it("retry: a new attempt of the same instance runs, and the queue is empty again", async () => {
    const t = await setup();
    t.heal();
    await t.engine.retryException(t.runId, t.item.instance, { as: "user:olga", reason: "ledger unlocked" });
    expect((await t.engine.listExceptions()).items).toEqual([]);
    await t.engine.runUntilIdle();
    expect((await t.engine.getRun(t.runId))?.state).toMatchObject({ status: "completed", outcome: "synced" });
    expect(t.calls).toEqual(["sync", "sync"]);
    const retried = (await t.engine.timeline(t.runId)).find((e) => e.what === "exception.retried");
    expect(retried).toMatchObject({ actor: "user:olga", detail: "ledger unlocked" });
  });

  it("skip: the run goes on at the step the operator names", async () => {
    const t = await setup();
    await t.engine.skipException(t.runId, t.item.instance, {
      to: "fallback",
      as: "user:olga",
      reason: "sync by hand",
    });
    await t.engine.runUntilIdle();
    expect((await t.engine.getRun(t.runId))?.state).toMatchObject({
      status: "completed",
      outcome: "skipped",
    });
    expect(t.calls).toEqual(["sync", "flag"]);
  });

  it("cancel: the run ends cancelled, and later requests are a CONFLICT", async () => {
    const t = await setup();
    await t.engine.cancelRun(t.runId, { as: "user:olga", reason: "duplicate request" });
    expect((await t.engine.getRun(t.runId))?.state).toMatchObject({ status: "cancelled", success: false });
    const again = await t.engine
      .retryException(t.runId, t.item.instance, { as: "user:olga", reason: "try" })
      .catch((e: unknown) => e);
    expect(isCharterError(again) && again.code).toBe("CONFLICT");
  });

  it("refuses a request without a reason, a step that does not exist, and an unknown run", async () => {
    const t = await setup();
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (e: unknown) => (isCharterError(e) ? e.code : e),
      );
    expect(
      await codeOf(t.engine.retryException(t.runId, t.item.instance, { as: "user:olga", reason: " " })),
    ).toBe("CONFLICT");
    expect(
      await codeOf(
        t.engine.skipException(t.runId, t.item.instance, { to: "nowhere", as: "user:olga", reason: "x" }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(t.engine.retryException(t.runId, "root/nope#1", { as: "user:olga", reason: "x" })),
    ).toBe("NOT_FOUND");
    expect(await codeOf(t.engine.cancelRun("run_missing", { as: "user:olga", reason: "x" }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(t.engine.cancelRun(t.runId, { as: "nobody", reason: "x" }))).toBe("INPUT_INVALID");
  });
});
