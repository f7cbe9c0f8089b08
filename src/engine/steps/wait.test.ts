import { describe, expect, it } from "vitest";
import { charterFrom, DAY, HOUR, RunDriver, T0 } from "../../../test/helpers/engine.js";

const WAIT = charterFrom(`
start: await-po
steps:
  await-po:
    kind: wait
    owner: team:procurement
    event: po.created
    correlation: "input.vendorId"
    timeout: 5d
    on_timeout: chase
    next: received
  chase: { kind: end, outcome: chased }
  received: { kind: end, outcome: received }
  until-start:
    kind: wait
    owner: team:hr
    until: "input.startDate & 'T06:00:00Z'"
    timeout: 120d
    on_timeout: exception
    next: received
`);

const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

describe("wait steps", () => {
  it("a wait for an event subscribes under the evaluated correlation key and starts its timeout", async () => {
    const run = await RunDriver.start(WAIT, { input: { vendorId: 1234 } });
    const [subscribe] = run.lastOf("subscribe-event");
    expect(subscribe).toMatchObject({ instance: "root/await-po#1", name: "po.created", key: "1234" });
    expect(run.lastOf("start-timer")[0]!.fireAt).toBe(at(5 * DAY));
    expect(run.instance("await-po").status).toBe("waiting");
  });

  it("the matching event resumes the run with its data as the output", async () => {
    const run = await RunDriver.start(WAIT, { input: { vendorId: "V1" } });
    const { subscriptionId } = run.lastOf("subscribe-event")[0]!;
    await run.send({ type: "event.received", name: "po.created", key: "V1", data: { po: "4500000001" } });
    expect(run.instance("await-po")).toMatchObject({ status: "succeeded", output: { po: "4500000001" } });
    expect(run.lastOf("unsubscribe-event")).toEqual([{ type: "unsubscribe-event", subscriptionId }]);
    expect(run.lastOf("cancel-timer")).toHaveLength(1);
    expect(run.state.outcome).toBe("received");
  });

  it("an event with another name or key changes nothing", async () => {
    const run = await RunDriver.start(WAIT, { input: { vendorId: "V1" } });
    const before = run.state;
    for (const event of [
      { name: "po.created", key: "V2" },
      { name: "po.deleted", key: "V1" },
    ]) {
      const result = await run.send({ type: "event.received", ...event, data: {} });
      expect(result).toEqual({ state: before, commands: [] });
    }
  });

  it("a wait that times out goes to on_timeout and unsubscribes", async () => {
    const run = await RunDriver.start(WAIT, { input: { vendorId: "V1" } });
    await run.advance(5 * DAY);
    expect(run.instance("await-po")).toMatchObject({ status: "failed", error: { code: "TIMEOUT" } });
    expect(run.lastOf("unsubscribe-event")).toHaveLength(1);
    expect(run.state.outcome).toBe("chased");
  });

  it("a wait until a time sets a timer at that time, and resumes when it fires", async () => {
    const run = await RunDriver.start(
      { ...WAIT, start: "until-start" },
      { input: { startDate: "2025-03-10" } },
    );
    const fireAts = run.lastOf("start-timer").map((t) => t.fireAt);
    expect(fireAts).toEqual(["2025-03-10T06:00:00.000Z", at(120 * DAY)]);
    await run.advance(7 * DAY - 3 * HOUR);
    expect(run.instance("until-start")).toMatchObject({ status: "succeeded" });
    expect(run.lastOf("cancel-timer")).toHaveLength(1);
    expect(run.state.outcome).toBe("received");
  });

  it("a wait until a time already past resumes at once", async () => {
    const run = await RunDriver.start(
      { ...WAIT, start: "until-start" },
      { input: { startDate: "2025-01-01" } },
    );
    expect(run.state.outcome).toBe("received");
  });

  it("an until that is not a time goes to the exception queue", async () => {
    const run = await RunDriver.start({ ...WAIT, start: "until-start" }, { input: { startDate: "someday" } });
    expect(run.instance("until-start")).toMatchObject({
      status: "exception",
      error: { code: "UNTIL_INVALID" },
    });
  });

  it("a correlation that gives nothing goes to the exception queue", async () => {
    const run = await RunDriver.start(WAIT, { input: {} });
    expect(run.instance("await-po")).toMatchObject({
      status: "exception",
      error: { code: "CORRELATION_MISSING" },
    });
  });
});
