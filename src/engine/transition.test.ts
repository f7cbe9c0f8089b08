import { describe, expect, it } from "vitest";
import { charterFrom, deepFreeze, playScenario, RunDriver, T0 } from "../../test/helpers/engine.js";
import type { EngineEvent } from "./events.js";
import type { RunState } from "./state.js";
import { initialState, startRun, transition } from "./transition.js";

const ORDER = charterFrom(`
input:
  schema: { type: object, required: [orderId], properties: { orderId: { type: string }, qty: { type: integer, minimum: 1 } } }
  on_invalid: reject
start: reserve
steps:
  reserve:
    kind: action
    owner: team:ops
    handler: stock.reserve
    timeout: 10s
    retry: { max_attempts: 3, initial: 1s }
    on_error: { default: exception }
    next: items
  items:
    kind: parallel
    owner: team:ops
    for_each: "steps.reserve.output.lines"
    as: line
    concurrency: 2
    branch: [pick, check]
    next: approve
  pick: { kind: action, owner: team:ops, handler: stock.pick, input: "line", timeout: 10s, on_error: { default: exception } }
  check:
    kind: decision
    owner: team:ops
    rules: [{ when: "steps.pick.output.ok", goto: continue }]
    default: exception
  approve:
    kind: approval
    owner: role:manager
    assignee: role:manager
    not_by: [initiator]
    due: 1d
    escalate: { after: 12h, to: role:director }
    expire: { after: 2d, goto: exception }
    outcomes: { approved: ship, rejected: done }
  ship:
    kind: wait
    owner: team:ops
    event: shipment.sent
    correlation: input.orderId
    timeout: 3d
    on_timeout: done
    next: done
  done: { kind: end, outcome: done }
`);

const started = (input: unknown): EngineEvent & { type: "run.started" } => ({
  type: "run.started",
  runId: "run-9",
  initiator: "user:ivy",
  input,
});

describe("starting a run", () => {
  it("initialState is a running run with nothing entered", () => {
    const state = initialState(ORDER, "hash-1", started({ orderId: "o1" }), T0);
    expect(state).toMatchObject({
      format: 1,
      runId: "run-9",
      workflow: "test",
      version: "hash-1",
      initiator: "user:ivy",
      startedAt: T0.toISOString(),
      status: "running",
      active: [],
      seq: 0,
    });
  });

  it("a valid input enters the start step and is audited with the initiator as actor", async () => {
    const result = await startRun(ORDER, "hash-1", started({ orderId: "o1" }), T0);
    expect(result.state?.seq).toBe(1);
    expect(result.state?.active).toEqual(["root/reserve#1"]);
    expect(result.commands[0]).toMatchObject({
      type: "append-audit",
      entry: { actor: "user:ivy", action: "run.started" },
    });
  });

  it("an invalid input with on_invalid reject is refused, naming the field, with no run", async () => {
    const missing = await startRun(ORDER, "hash-1", started({}), T0);
    expect(missing).toEqual({
      state: undefined,
      commands: [],
      refusal: expect.objectContaining({ code: "INPUT_INVALID", field: "/orderId" }),
    });
    const small = await startRun(ORDER, "hash-1", started({ orderId: "o1", qty: 0 }), T0);
    expect(small.refusal).toMatchObject({ code: "INPUT_INVALID", field: "/qty" });
  });

  it("starting a run that has started is a conflict", async () => {
    const run = await RunDriver.start(ORDER, { input: { orderId: "o1" } });
    const again = await run.send(started({ orderId: "o1" }));
    expect(again.refusal?.code).toBe("CONFLICT");
    expect(again.state).toBe(run.state);
  });
});

describe("stale and unknown events", () => {
  it("a timer that is unknown, or a result for a step that is not running, changes nothing", async () => {
    const run = await RunDriver.start(ORDER, { input: { orderId: "o1" } });
    const state = run.state;
    for (const event of [
      { type: "timer.fired", timerId: "tmr_unknown" },
      { type: "handler.succeeded", instance: "root/nope#1", attempt: 1, output: {} },
      { type: "handler.succeeded", instance: "root/reserve#1", attempt: 2, output: {} },
      {
        type: "model.succeeded",
        instance: "root/reserve#1",
        attempt: 1,
        output: {},
        confidence: 1,
        call: { provider: "p", model: "m", instructionsHash: "h", latencyMs: 1 },
      },
      {
        type: "child.ended",
        instance: "root/reserve#1",
        childRunId: "run_x",
        outcome: "done",
        success: true,
      },
      { type: "event.received", name: "shipment.sent", key: "o1", data: {} },
    ] satisfies EngineEvent[]) {
      expect(await run.send(event)).toEqual({ state, commands: [] });
    }
  });

  it("a timer that fires after its instance moved on changes nothing", async () => {
    const run = await RunDriver.start(ORDER, { input: { orderId: "o1" } });
    const timeout = run.lastOf("start-timer")[0]!.timerId;
    await run.succeed("reserve", { lines: [] });
    const result = await run.send({ type: "timer.fired", timerId: timeout });
    expect(result.commands).toEqual([]);
  });
});

/** The long scenario of the purity tests: retries, a for_each, an escalation, an approval, a wait. */
async function longScenario(run: RunDriver): Promise<void> {
  await run.fail("reserve", "BUSY");
  await run.advance(1000);
  await playScenario(
    run,
    {
      reserve: { output: { lines: [{ sku: "a" }, { sku: "b" }, { sku: "c" }] } },
      pick: { output: { ok: true } },
      approve: [{ by: "user:mo", roles: ["director"], outcome: "approved" }],
      ship: { event: "shipment.sent", key: "o1", data: { carrier: "dhl" } },
    },
    { stopAt: ["approve"] },
  );
  await run.advance(12 * 3600_000);
  await playScenario(run, {
    approve: { by: "user:mo", roles: ["director"], outcome: "approved" },
    ship: { event: "shipment.sent", key: "o1", data: { carrier: "dhl" } },
  });
}

describe("purity", () => {
  it("at every step of a long scenario, the state after a JSON round trip gives the same next transition", async () => {
    // The driver applies each event to the state and to its JSON round trip, and compares the results.
    const run = await RunDriver.start(ORDER, { input: { orderId: "o1" } });
    await longScenario(run);
    expect(run.state).toMatchObject({ status: "completed", outcome: "done" });
    // Each item's last output: the pick's (the decision after it produces none).
    expect(run.instance("items").output).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(run.rehydrationChecks).toBeGreaterThanOrEqual(9);
  });

  it("transition never mutates the state it is given", async () => {
    const run = await RunDriver.start(ORDER, { input: { orderId: "o1" } });
    // Every state the driver passes is deep-frozen, so a mutation would throw; check by value too.
    const snapshots: [RunState, string][] = [];
    const send = run.send.bind(run);
    run.send = async (event) => {
      snapshots.push([run.state, JSON.stringify(run.state)]);
      return send(event);
    };
    await longScenario(run);
    expect(snapshots.length).toBeGreaterThanOrEqual(9);
    for (const [state, json] of snapshots) expect(JSON.stringify(state)).toBe(json);
    expect(Object.isFrozen(run.state)).toBe(true);
  });

  it("the same state and event at the same time give the same result", async () => {
    const a = await RunDriver.start(ORDER, { input: { orderId: "o1" } });
    const b = await RunDriver.start(ORDER, { input: { orderId: "o1" } });
    await longScenario(a);
    await longScenario(b);
    expect(b.history).toEqual(a.history);
    expect(b.state).toEqual(a.state);
  });

  it("a transition on a frozen state works, and returns a new state with the next seq", async () => {
    const start = await startRun(ORDER, "h", started({ orderId: "o1" }), T0);
    const state = deepFreeze(start.state!);
    const result = await transition(
      ORDER,
      state,
      { type: "handler.succeeded", instance: "root/reserve#1", attempt: 1, output: { lines: [] } },
      T0,
    );
    expect(result.state).not.toBe(state);
    expect(result.state.seq).toBe(state.seq + 1);
    expect(state.steps["root/reserve#1"]!.status).toBe("running");
  });
});
