import { describe, expect, it } from "vitest";
import { charterFrom, RunDriver } from "../../../test/helpers/engine.js";

const TASK = charterFrom(`
start: correct
steps:
  correct:
    kind: task
    owner: role:clerk
    assignee: user:carl
    form:
      type: object
      required: [total]
      properties:
        total: { type: number }
        issueDate: { type: string, format: date }
    due: 1d
    expire: { after: 2d, goto: exception }
    next: check
  check:
    kind: decision
    owner: team:ops
    rules: [{ when: "steps.correct.output.total > 100", goto: big }]
    default: small
  triage:
    kind: task
    owner: role:clerk
    assignee: role:clerk
    due: 1d
    expire: { after: 2d, goto: exception }
    outcomes: { simple: small, hard: big }
  big: { kind: end, outcome: big }
  small: { kind: end, outcome: small }
`);

describe("task steps", () => {
  it("a task's submitted form becomes its output and the run continues with next", async () => {
    const run = await RunDriver.start(TASK);
    expect(run.task("correct")).toMatchObject({
      kind: "task",
      outcomes: ["submitted"],
      assignees: ["user:carl"],
    });
    expect(run.task("correct").form).toMatchObject({ required: ["total"] });
    await run.decide("correct", "user:carl", "submitted", { data: { total: 500 } });
    expect(run.instance("correct")).toMatchObject({ status: "succeeded", output: { total: 500 } });
    expect(run.audits("task.submitted")[0]).toMatchObject({ actor: "user:carl" });
    expect(run.state.outcome).toBe("big");
  });

  it("form data missing a required field is refused as INPUT_INVALID naming the field", async () => {
    const run = await RunDriver.start(TASK);
    const result = await run.decide("correct", "user:carl", "submitted", { data: {} });
    expect(result.refusal).toMatchObject({ code: "INPUT_INVALID", field: "/total" });
    expect(result.refusal?.message).toContain("total");
    expect(result.commands).toEqual([]);
  });

  it("form data of the wrong type or format is refused naming the field", async () => {
    const run = await RunDriver.start(TASK);
    const wrongType = await run.decide("correct", "user:carl", "submitted", { data: { total: "many" } });
    expect(wrongType.refusal).toMatchObject({ code: "INPUT_INVALID", field: "/total" });
    const wrongFormat = await run.decide("correct", "user:carl", "submitted", {
      data: { total: 1, issueDate: "soon" },
    });
    expect(wrongFormat.refusal).toMatchObject({ code: "INPUT_INVALID", field: "/issueDate" });
  });

  it("a task with outcomes routes by the outcome chosen; `submitted` is not one of them", async () => {
    const charter = { ...TASK, start: "triage" };
    const run = await RunDriver.start(charter);
    expect(run.task("triage").outcomes).toEqual(["simple", "hard"]);
    const wrong = await run.decide("triage", "user:amy", "submitted", { roles: ["clerk"] });
    expect(wrong.refusal?.code).toBe("CONFLICT");
    await run.decide("triage", "user:amy", "hard", { roles: ["role:clerk"] });
    expect(run.state.outcome).toBe("big");
  });

  it("a user assignee must be that user", async () => {
    const run = await RunDriver.start(TASK);
    const result = await run.decide("correct", "user:other", "submitted", { data: { total: 1 } });
    expect(result.refusal?.code).toBe("FORBIDDEN");
  });
});
