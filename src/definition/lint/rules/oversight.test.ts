import { describe, expect, it } from "vitest";
import { lintText, withFields } from "../../../../test/helpers/charters.js";
import { findings } from "../../../../test/helpers/step-yaml.js";
import { formatStepPath } from "./wording.js";
import { action, charter, decision, pay } from "../../../../test/helpers/flow-steps.js";
import { PAY_STEP } from "./examples.js";

/** An approval; `fields` replaces the defaults it lists (flow-mapping entries). */
const approval = (id: string, approved: string, fields: Record<string, string> = {}) => {
  const all: Record<string, string> = {
    kind: "approval",
    owner: "team:operations",
    assignee: "role:reviewer",
    not_by: "[initiator]",
    require_reason: "true",
    due: "1d",
    expire: "{ after: 3d, goto: stalled }",
    outcomes: `{ approved: ${approved}, rejected: refused }`,
    ...fields,
  };
  const entries = Object.entries(all).filter(([, value]) => value !== "");
  return `  ${id}: { ${entries.map(([key, value]) => `${key}: ${value}`).join(", ")} }`;
};

describe("oversight/approval-assignee", () => {
  const rule = "oversight/approval-assignee";

  it("reports an approval with no assignee at the step's key", () => {
    const found = findings(rule, charter("ok", approval("ok", "done", { assignee: "" })));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "ok"],
        'approval "ok" has no assignee; add assignee: role:<id>, user:<id> or an expression so that a person receives it',
      ],
    ]);
  });

  it("reports a task with no assignee", () => {
    const task = `  fix: { kind: task, owner: team:operations, due: 1d, expire: { after: 3d, goto: stalled }, next: done }`;
    expect(findings(rule, charter("fix", task))[0]!.message).toMatch(/^task "fix" has no assignee;/);
  });

  it("accepts an assignee computed by an expression", () => {
    const fields = { assignee: `"input.amount > 100 ? 'role:reviewer' : 'user:rita'"` };
    expect(findings(rule, charter("ok", approval("ok", "done", fields)))).toEqual([]);
  });
});

describe("oversight/ungated-irreversible", () => {
  const rule = "oversight/ungated-irreversible";

  it("reports an irreversible action reached from the start through plain actions, at its irreversible flag", () => {
    const found = findings(rule, charter("load", action("load", "enrich"), action("enrich", "pay"), pay()));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "pay", "irreversible"],
        'irreversible action "pay" is reached from the start via load -> enrich -> pay with no decision or human step on the way; put a decision or an approval before it',
      ],
    ]);
  });

  it("reports an irreversible start step", () => {
    const found = findings(rule, charter("pay", pay()));
    expect(found[0]!.message).toBe(
      'irreversible action "pay" is the start step, so it runs with no decision or human step before it; put a decision or an approval before it',
    );
  });

  it("reports a path from the invalid-input route", () => {
    const fields = `${charter("route", decision("route", "done", "refused"), action("fix-input", "pay"), pay())}
input:
  schema: { type: object, properties: { requestId: { type: string }, amount: { type: number } } }
  on_invalid: fix-input`;
    const found = findings(rule, fields);
    expect(found[0]!.message).toContain(
      "is reached from the invalid-input route (input.on_invalid) via fix-input -> pay",
    );
  });

  it("accepts a path through a decision or an approval", () => {
    expect(findings(rule, charter("route", decision("route", "pay", "refused"), pay()))).toEqual([]);
    expect(findings(rule, charter("ok", approval("ok", "pay"), pay()))).toEqual([]);
  });

  it("follows an approval's expire route, since nobody decided", () => {
    const found = findings(
      rule,
      charter("ok", approval("ok", "done", { expire: "{ after: 3d, goto: pay }" }), pay()),
    );
    expect(found[0]!.message).toContain("via ok -> pay");
  });

  it("follows error routes and wait timeouts", () => {
    const found = findings(
      rule,
      charter(
        "hold",
        `  hold: { kind: wait, owner: team:operations, event: po.received, correlation: input.requestId, timeout: 1d, on_timeout: load, next: done }`,
        action("load", "done", "").replace("{ default: exception }", "{ LATE: pay, default: exception }"),
        pay(),
      ),
    );
    expect(found[0]!.message).toContain("via hold -> load -> pay");
  });

  it("terminates on loops and reports each action once, by its shortest path", () => {
    const found = findings(
      rule,
      charter(
        "a",
        action("a", "b").replace("{ default: exception }", "{ AGAIN: a, default: exception }"),
        action("b", "pay").replace("{ default: exception }", "{ BACK: a, default: exception }"),
        pay(),
      ),
    );
    expect(found.map((d) => d.message.split(" with ")[0])).toEqual([
      'irreversible action "pay" is reached from the start via a -> b -> pay',
    ]);
  });

  it("follows parallel branches into an irreversible action", () => {
    const found = findings(
      rule,
      charter(
        "both",
        `  both: { kind: parallel, owner: team:operations, branches: [[left], [send]], next: done }`,
        `  left: { kind: action, owner: team:operations, handler: ops.left, timeout: 30s, on_error: { default: exception } }`,
        `  send: { kind: action, owner: team:operations, handler: mail.send, irreversible: true, idempotency: input.requestId, timeout: 30s, on_error: { default: exception } }`,
      ),
    );
    expect(found.map((d) => d.message.split(" with ")[0])).toEqual([
      'irreversible action "send" is reached from the start via both -> send',
    ]);
  });

  it("shortens a path of thousands of steps to its first steps and its last", () => {
    const path = Array.from({ length: 3000 }, (_, i) => `s${i}`);
    expect(formatStepPath(path, path.length, "s2999")).toBe(
      "s0 -> s1 -> s2 -> s3 -> s4 -> s5 -> s6 -> s7 -> (2991 more steps) -> s2999",
    );
  });
});

describe("oversight/not-by", () => {
  const rule = "oversight/not-by";
  const withNotBy = (notBy: string, ...more: string[]) =>
    charter(
      "fix",
      `  fix: { kind: task, owner: team:operations, assignee: role:reviewer, due: 1d, expire: { after: 3d, goto: stalled }, next: route }`,
      decision("route", "ok", "ok"),
      approval("ok", "done", { not_by: notBy }),
      ...more,
    );

  it("accepts the initiator, a human step, a decision, a user and a declared role", () => {
    expect(findings(rule, withNotBy("[initiator, fix, route, user:rita, role:reviewer]"))).toEqual([]);
  });

  it("reports an unknown name at its entry, with the closest step", () => {
    const found = findings(rule, withNotBy("[initiator, fxi]"));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "ok", "not_by", 1],
        'not_by of approval "ok" names "fxi", which is not "initiator", a decision or human step, a user or a role; fix or remove it. Did you mean "fix"?',
      ],
    ]);
  });

  it("reports a step that no one decides", () => {
    const found = findings(rule, withNotBy("[check]", action("check", "done")));
    expect(found[0]!.message).toBe(
      'not_by of approval "ok" names step "check", an action step that no one decides; name a decision or human step, "initiator", a user or a role',
    );
  });

  it("reports a role that is not declared, with the closest role", () => {
    const found = findings(rule, withNotBy("[role:reviewr]"));
    expect(found[0]!.message).toBe(
      'not_by of approval "ok" names role "reviewr", which is not declared under roles; declare it or fix the name. Did you mean "role:reviewer"?',
    );
  });

  it("accepts a role that only the directory declares", () => {
    const options = { directory: { roles: { auditor: ["user:ana"] } } };
    expect(findings(rule, withNotBy("[role:auditor]"), options)).toEqual([]);
  });

  it("reports a team or an AI, which cannot decide", () => {
    const found = findings(rule, withNotBy("[team:operations, ai:gpt-4o]"));
    expect(found.map((d) => d.message)).toEqual([
      'not_by of approval "ok" names "team:operations"; only "initiator", a decision or human step id, "user:<id>" or "role:<id>" can be excluded',
      'not_by of approval "ok" names "ai:gpt-4o"; only "initiator", a decision or human step id, "user:<id>" or "role:<id>" can be excluded',
    ]);
  });
});

describe("oversight/separation-of-duties", () => {
  const rule = "oversight/separation-of-duties";

  it("warns on an approval that leads to an irreversible action without excluding the initiator", () => {
    const found = findings(
      rule,
      charter("ok", approval("ok", "enrich", { not_by: "" }), action("enrich", "pay"), pay()),
    );
    expect(found.map((d) => [d.severity, d.path, d.message])).toEqual([
      [
        "warning",
        ["steps", "ok"],
        'approval "ok" leads to irreversible action "pay" but does not exclude the run\'s initiator; add "initiator" to not_by so that nobody approves their own request',
      ],
    ]);
  });

  it("points at not_by when it exists but lacks the initiator", () => {
    const found = findings(rule, charter("ok", approval("ok", "pay", { not_by: "[user:rita]" }), pay()));
    expect(found[0]!.path).toEqual(["steps", "ok", "not_by"]);
  });

  it("accepts an approval that excludes the initiator", () => {
    expect(findings(rule, charter("ok", approval("ok", "pay"), pay()))).toEqual([]);
  });

  it("ignores approvals that lead to no irreversible action, or only by expiring", () => {
    expect(findings(rule, charter("ok", approval("ok", "done", { not_by: "" })))).toEqual([]);
    const expiring = approval("ok", "done", { not_by: "", expire: "{ after: 3d, goto: route }" });
    expect(findings(rule, charter("ok", expiring, decision("route", "pay", "done"), pay()))).toEqual([]);
  });
});

describe("oversight/reason", () => {
  const rule = "oversight/reason";

  it("warns on an approval that can reject without a reason", () => {
    const found = findings(rule, charter("ok", approval("ok", "done", { require_reason: "" })));
    expect(found.map((d) => [d.severity, d.path])).toEqual([["warning", ["steps", "ok"]]]);
    expect(found[0]!.message).toMatch(/^approval "ok" can reject without a reason; set require_reason: true/);
  });

  it("respects an explicit require_reason: false", () => {
    expect(findings(rule, charter("ok", approval("ok", "done", { require_reason: "false" })))).toEqual([]);
  });
});

describe("oversight/ungated-irreversible after a gate", () => {
  it("reports an irreversible action that an approval's expiry reaches, even behind a decision", () => {
    const text = withFields(`
start: route
steps:
  route:
    kind: decision
    owner: team:finance-controls
    rules:
      - when: "input.amount > 100"
        goto: approve
    default: done
  approve:
    kind: approval
    owner: role:reviewer
    assignee: role:reviewer
    not_by: [initiator]
    require_reason: true
    due: 1d
    expire: { after: 3d, goto: pay }
    outcomes: { approved: pay, rejected: done }${PAY_STEP}
  done: { kind: end, outcome: done }
`);
    const finding = lintText(text).find((d) => d.ruleId === "oversight/ungated-irreversible");
    expect(finding?.message).toBe(
      'irreversible action "pay" is reached when "approve" expires via approve -> pay with no decision or human step on the way; put a decision or an approval before it',
    );
  });
});

describe("oversight/approval-assignee and teams", () => {
  it("refuses a team as the assignee or the escalation target of a human step", () => {
    const text = withFields(`
start: review
steps:
  review:
    kind: task
    owner: team:operations
    assignee: team:operations
    escalate: { after: 1d, to: team:management }
    due: 1d
    expire: { after: 3d, goto: done }
    next: done
  done: { kind: end, outcome: done }
`);
    const messages = lintText(text)
      .filter((d) => d.ruleId === "oversight/approval-assignee")
      .map((d) => d.message);
    expect(messages).toEqual([
      'task "review" is assigned to the team "team:operations"; a team owns steps but cannot decide one: assign a role:<id> or a user:<id>',
      'task "review" is assigned to the team "team:management"; a team owns steps but cannot decide one: assign a role:<id> or a user:<id>',
    ]);
  });
});

describe("gates inside parallel branches", () => {
  const charter = (firstBranch: string) =>
    withFields(`
start: cls
steps:
  cls:
    kind: ai
    owner: team:operations
    model_task: classify
    accept: { when: "confidence > 0.9" }
    review: review
    next: par
  review:
    kind: task
    owner: role:reviewer
    assignee: role:reviewer
    due: 1d
    expire: { after: 2d, goto: stopped }
    next: par
  par:
    kind: parallel
    owner: team:operations
    branches:
      - [${firstBranch}]
      - [notify]
    next: pay
  approve:
    kind: approval
    owner: role:reviewer
    assignee: role:reviewer
    not_by: [initiator]
    require_reason: true
    due: 1d
    expire: { after: 2d, goto: stopped }
    outcomes: { approved: continue, rejected: stopped }
  record:
    kind: action
    owner: team:operations
    handler: ops.record
    timeout: 10s
    on_error: { default: exception }
  notify:
    kind: action
    owner: team:operations
    handler: ops.notify
    timeout: 10s
    on_error: { default: exception }${PAY_STEP}
  done: { kind: end, outcome: done }
  stopped: { kind: end, outcome: stopped, success: false }
`);
  const ungated = (text: string) =>
    lintText(text)
      .filter((d) => d.ruleId.endsWith("/ungated-irreversible"))
      .map((d) => d.ruleId);

  it("a join waits for every branch, so an approval in one branch gates what follows the join", () => {
    expect(ungated(charter("approve"))).toEqual([]);
  });

  it("a join whose branches hold no gate lets AI output and the start through", () => {
    const text = charter("record").replace(/ {2}approve:\n(?: {4}.*\n)+/, "");
    expect(ungated(text).sort()).toEqual([
      "ai-authority/ungated-irreversible",
      "oversight/ungated-irreversible",
    ]);
  });
});
