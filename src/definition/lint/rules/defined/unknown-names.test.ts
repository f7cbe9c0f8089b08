import { describe, expect, it } from "vitest";
import { withFields } from "../../../../../test/helpers/charters.js";
import { action, approval, end, findings, messages, steps } from "../../../../../test/helpers/step-yaml.js";

describe("defined/unknown-step", () => {
  it('says "Did you mean" for a misspelt step', () => {
    const found = findings(
      "defined/unknown-step",
      steps(
        "route",
        `
  route:
    kind: decision
    owner: team:operations
    rules:
      - when: "input.amount > 100"
        goto: aprove-manager
    default: approve-manager`,
        approval("approve-manager", "{ approved: done, rejected: done }"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "route", "rules", 0, "goto"]]);
    expect(found[0]!.message).toBe(
      'Step "route" goes to unknown step "aprove-manager" in rules[0].goto. Did you mean "approve-manager"?',
    );
  });

  it("says how to fix a name that is close to nothing", () => {
    expect(
      messages("defined/unknown-step", steps("check", action("check", "somewhere-else"), end("done"))),
    ).toEqual([
      'Step "check" goes to unknown step "somewhere-else" in next. Add a step "somewhere-else" under steps, or route to an existing step or "exception".',
    ]);
  });

  it("checks every field that names a step, each at its own place", () => {
    const found = findings(
      "defined/unknown-step",
      `
input: { schema: { type: object }, on_invalid: fix-inpt }
${steps(
  "strat",
  `
  extract:
    kind: ai
    owner: team:operations
    model_task: classify
    accept: { when: "confidence > 0.9" }
    review: reviw
    on_error: { default: exceptoin }
    next: rout`,
  `
  route:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.a", goto: nowhere-1 }]
    default: nowhere-2`,
  approval("approve", "{ approved: nowhere-3, rejected: done }"),
  `
  wait:
    kind: wait
    owner: team:operations
    until: "input.when"
    timeout: 1d
    on_timeout: nowhere-4
    next: nowhere-5`,
  `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[nowhere-6]]
    next: nowhere-7`,
  `
  child:
    kind: workflow
    owner: team:operations
    workflow: other
    outcomes: { default: nowhere-8 }
    next: nowhere-9
    on_error: { CHILD_FAILED: nowhere-10 }`,
  end("done"),
)}`,
    );
    expect(found.map((d) => d.path)).toEqual([
      ["input", "on_invalid"],
      ["start"],
      ["steps", "extract", "review"],
      ["steps", "extract", "on_error", "default"],
      ["steps", "extract", "next"],
      ["steps", "route", "rules", 0, "goto"],
      ["steps", "route", "default"],
      ["steps", "approve", "outcomes", "approved"],
      ["steps", "wait", "on_timeout"],
      ["steps", "wait", "next"],
      ["steps", "fan", "branches", 0, 0],
      ["steps", "fan", "next"],
      ["steps", "child", "outcomes", "default"],
      ["steps", "child", "next"],
      ["steps", "child", "on_error", "CHILD_FAILED"],
    ]);
    expect(found[0]!.message).toMatch(
      /^Input validation goes to unknown step "fix-inpt" in input.on_invalid/,
    );
    expect(found[1]!.message).toMatch(
      /^start names unknown step "strat". Did you mean "start"|^start names unknown step/,
    );
    expect(found[10]!.message).toMatch(
      /^Parallel "fan" lists unknown step "nowhere-6" in branches\[0\]\[0\]/,
    );
  });

  it("checks expire routes and for_each branch lists", () => {
    const found = findings(
      "defined/unknown-step",
      steps(
        "approve",
        approval("approve", "{ approved: fan, rejected: done }").replace("goto: exception", "goto: stalld"),
        `
  fan:
    kind: parallel
    owner: team:operations
    for_each: input.items
    concurrency: 5
    branch: [notify, notfy]
    next: done`,
        action("notify"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "approve", "expire", "goto"],
      ["steps", "fan", "branch", 1],
    ]);
  });

  it("offers a step id or reject for an unknown input.on_invalid, never the exception queue", () => {
    const onInvalid = (target: string) =>
      messages("defined/unknown-step", `input: { schema: { type: object }, on_invalid: ${target} }`);
    expect(onInvalid("ask-for-more")).toEqual([
      'Input validation goes to unknown step "ask-for-more" in input.on_invalid, which takes a step id, or reject. Add a step "ask-for-more" under steps, name an existing step, or set on_invalid: reject to refuse the run.',
    ]);
    expect(onInvalid("rejct")).toEqual([
      'Input validation goes to unknown step "rejct" in input.on_invalid, which takes a step id, or reject. Did you mean "reject"?',
    ]);
  });

  it("allows reject only in input.on_invalid", () => {
    expect(
      findings("defined/unknown-step", "input: { schema: { type: object }, on_invalid: reject }"),
    ).toEqual([]);
    expect(messages("defined/unknown-step", steps("check", action("check", "reject"), end("done")))).toEqual([
      'Step "check" routes to "reject" in next, but "reject" only refuses an invalid input (input.on_invalid): route to a step, or to "exception".',
    ]);
  });

  it("allows continue only inside a parallel branch", () => {
    const inBranch = steps(
      "fan",
      `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[approve, notify]]
    next: done`,
      approval("approve", "{ approved: continue, rejected: exception }"),
      action("notify"),
      end("done"),
    );
    expect(findings("defined/unknown-step", inBranch)).toEqual([]);
    expect(
      messages(
        "defined/unknown-step",
        steps("approve", approval("approve", "{ approved: continue, rejected: done }"), end("done")),
      ),
    ).toEqual([
      'Step "approve" uses "continue" in outcomes.approved, but "continue" only works inside a parallel branch: name the step to go to.',
    ]);
  });

  it("allows exception anywhere but start", () => {
    expect(
      findings("defined/unknown-step", steps("check", action("check", "exception"), end("done"))),
    ).toEqual([]);
    expect(
      messages("defined/unknown-step", steps("exception", action("check", "done"), end("done"))),
    ).toEqual([
      'start is "exception", but a run must begin at a step: set start to the id of the first step.',
    ]);
  });

  it("refuses a step named after a reserved target, at its key", () => {
    const found = findings(
      "defined/unknown-step",
      steps("check", action("check", "done"), end("done"), end("reject", "done")),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "reject"]]);
    expect(found[0]!.message).toMatch(/^Step id "reject" is reserved \(it refuses an invalid input\)/);
  });

  it("refuses reserved words in branch lists", () => {
    const found = findings(
      "defined/unknown-step",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[notify, exception]]
    next: done`,
        action("notify"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "fan", "branches", 0, 1]]);
    expect(found[0]!.message).toMatch(/lists "exception" in branches\[0\]\[1\], but a branch lists steps/);
  });
});

describe("defined/unknown-role", () => {
  it("reports an unknown role in owners, assignees and escalation targets, with the closest role", () => {
    const found = findings(
      "defined/unknown-role",
      `
owner: role:reviwer
${steps(
  "approve",
  approval(
    "approve",
    "{ approved: done, rejected: done }",
    "\n    escalate: { after: 1d, to: role:reviewr }",
  ).replace(
    "owner: team:operations\n    assignee: role:reviewer",
    "owner: role:nobody\n    assignee: role:reveiwer",
  ),
  end("done"),
)}`,
    );
    expect(found.map((d) => d.path)).toEqual([
      ["owner"],
      ["steps", "approve", "owner"],
      ["steps", "approve", "assignee"],
      ["steps", "approve", "escalate", "to"],
    ]);
    expect(found[0]!.message).toBe(
      'Charter "minimal" names unknown role "reviwer" in owner. Did you mean "reviewer"?',
    );
    expect(found[1]!.message).toBe(
      'Step "approve" names unknown role "nobody" in owner. Declare it under roles, or fix the name.',
    );
  });

  it("finds a role named inside an assignee expression, at its column", () => {
    const found = findings(
      "defined/unknown-role",
      steps(
        "approve",
        approval("approve", "{ approved: done, rejected: done }").replace(
          "assignee: role:reviewer",
          `assignee: "input.amount > 1000 ? 'role:cfo' : 'role:reviewer'"`,
        ),
        end("done"),
      ),
    );
    expect(found).toHaveLength(1);
    const line = withFields(
      steps(
        "approve",
        approval("approve", "{ approved: done, rejected: done }").replace(
          "assignee: role:reviewer",
          `assignee: "input.amount > 1000 ? 'role:cfo' : 'role:reviewer'"`,
        ),
        end("done"),
      ),
    ).split("\n")[found[0]!.line! - 1]!;
    expect(line.slice(found[0]!.col! - 1)).toMatch(/^role:cfo'/);
  });

  it("says how to declare roles when the charter has none", () => {
    expect(messages("defined/unknown-role", "roles: {}\nowner: role:operations")).toEqual([
      'Charter "minimal" names unknown role "operations" in owner. The charter declares no roles: add roles: { operations: { description: ..., members: [user:<id>] } }.',
    ]);
  });

  it("leaves not_by entries to oversight/not-by", () => {
    expect(
      findings(
        "defined/unknown-role",
        steps(
          "approve",
          approval("approve", "{ approved: done, rejected: done }").replace(
            "[initiator]",
            "[initiator, role:auditor]",
          ),
          end("done"),
        ),
      ),
    ).toEqual([]);
  });
});

describe("defined/unknown-model-task", () => {
  it("reports an ai step whose model task is not declared, at model_task", () => {
    const found = findings(
      "defined/unknown-model-task",
      steps(
        "extract",
        `
  extract:
    kind: ai
    owner: team:operations
    model_task: clasify
    accept: { when: "confidence > 0.9" }
    review: done
    next: done`,
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "extract", "model_task"]]);
    expect(found[0]!.message).toBe(
      'Step "extract" uses unknown model task "clasify" in model_task. Did you mean "classify"?',
    );
  });
});

describe("defined/unknown-handler", () => {
  const misspelt = steps(
    "check",
    action("check", "done").replace("requests.run", "requests.rnu"),
    end("done"),
  );

  it("does not run when the registered handlers are not given", () => {
    expect(findings("defined/unknown-handler", misspelt)).toEqual([]);
  });

  it("reports an action whose handler is not registered, with the closest handler", () => {
    const found = findings("defined/unknown-handler", misspelt, {
      handlers: ["requests.run", "requests.archive"],
    });
    expect(found.map((d) => d.path)).toEqual([["steps", "check", "handler"]]);
    expect(found[0]!.message).toBe(
      'Step "check" calls handler "requests.rnu", which is not registered. Did you mean "requests.run"?',
    );
  });
});
