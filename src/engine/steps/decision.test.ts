import { describe, expect, it } from "vitest";
import { dataHash } from "../audit.js";
import { charterFrom, RunDriver } from "../../../test/helpers/engine.js";

const ROUTE = charterFrom(`
start: route
steps:
  route:
    kind: decision
    owner: team:controls
    policy: Delegation of authority v4
    rules:
      - name: small
        when: "input.total <= 1000"
        goto: small
      - when: "input.total <= 25000"
        goto: medium
    default: large
  small: { kind: end, outcome: small }
  medium: { kind: end, outcome: medium }
  large: { kind: end, outcome: large }
`);

describe("decision steps", () => {
  it("the first rule that holds wins, and the decision records its name and the policy", async () => {
    const run = await RunDriver.start(ROUTE, { input: { total: 500 } });
    expect(run.instance("route")).toMatchObject({
      status: "succeeded",
      decision: { outcome: "small", by: "rule:route", rule: "small", policy: "Delegation of authority v4" },
    });
    expect(run.state.outcome).toBe("small");
  });

  it("an unnamed rule is recorded as its position", async () => {
    const run = await RunDriver.start(ROUTE, { input: { total: 5000 } });
    expect(run.instance("route").decision).toMatchObject({ outcome: "medium", rule: "rule 2" });
  });

  it("no rule holding goes to default", async () => {
    const run = await RunDriver.start(ROUTE, { input: { total: 50_000 } });
    expect(run.instance("route").decision).toMatchObject({ outcome: "large", rule: "default" });
  });

  it("each decision is audited with the rule as actor, the policy and the hash of the context it read", async () => {
    const run = await RunDriver.start(ROUTE, { input: { total: 5000 } });
    const [entry] = run.audits("decision.made");
    expect(entry).toMatchObject({
      actor: "rule:route",
      policy: "Delegation of authority v4",
      step: "route",
      details: { rule: "rule 2", goto: "medium" },
      dataHash: dataHash({ input: { total: 5000 }, steps: {} }),
    });
  });

  it("a rule that cannot be evaluated sends the decision to the exception queue", async () => {
    const charter = charterFrom(`
start: route
steps:
  route:
    kind: decision
    owner: team:controls
    rules: [{ when: "$number('not a number') > 1", goto: done }]
    default: done
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    expect(run.instance("route")).toMatchObject({
      status: "exception",
      error: { code: "EXPRESSION_FAILED" },
    });
  });

  it("a decision reads earlier steps' outputs from the context", async () => {
    const charter = charterFrom(`
start: match-po
steps:
  match-po: { kind: action, owner: team:ops, handler: erp.match, timeout: 5s, on_error: { default: exception }, next: route }
  route:
    kind: decision
    owner: team:controls
    rules: [{ when: "steps.\`match-po\`.output.matched", goto: done }]
    default: unmatched
  done: { kind: end, outcome: done }
  unmatched: { kind: end, outcome: unmatched }
`);
    const run = await RunDriver.start(charter);
    await run.succeed("match-po", { matched: true });
    expect(run.state.outcome).toBe("done");
  });
});
