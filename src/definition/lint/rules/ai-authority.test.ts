import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MINIMAL_YAML } from "../../../../test/helpers/charters.js";
import { findings } from "../../../../test/helpers/step-yaml.js";
import { loadCharterValue } from "../../load.js";
import { lintCharter } from "../lint.js";
import { aiAuthorityRules } from "./ai-authority.js";
import { oversightRules } from "./oversight.js";
import { action, charter as withEnds, decision, pay } from "../../../../test/helpers/flow-steps.js";

const ai = (id: string, next: string, more = "", review = "review") =>
  `  ${id}: { kind: ai, owner: team:operations, model_task: classify, accept: { when: "confidence >= 0.9" }, review: ${review}, next: ${next}${more} }`;
const approval = (id: string, approved: string, expired = "stalled") =>
  `  ${id}: { kind: approval, owner: team:operations, assignee: role:reviewer, not_by: [initiator], require_reason: true, due: 1d, expire: { after: 3d, goto: ${expired} }, outcomes: { approved: ${approved}, rejected: refused } }`;

/** A charter from its steps; `review` (an approval) and the ends done/refused/stalled are added. */
const charter = (start: string, ...steps: string[]) => withEnds(start, ...steps, approval("review", "done"));

describe("ai-authority/output-schema", () => {
  it("reports a model task with no output schema at its key, naming the ai steps that use it", () => {
    const found = findings(
      "ai-authority/output-schema",
      `model_tasks:\n  classify: { instructions: Classify. }\n${charter("a", ai("a", "review"), ai("b", "review"))}`,
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toEqual(["model_tasks", "classify"]);
    expect(found[0]!.message).toBe(
      'model task "classify" (used by ai steps "a", "b") has no output schema; add output: with a JSON Schema so that every proposal is validated before a rule or a person reads it',
    );
  });

  it("reports an unused model task with no output schema too, since no charter may deploy without one", () => {
    const found = findings(
      "ai-authority/output-schema",
      `model_tasks:\n  classify: { instructions: Classify., output: { type: object } }\n  summarize: { instructions: Summarize. }`,
    );
    expect(found.map((d) => d.message)).toEqual([
      'model task "summarize" has no output schema; add output: with a JSON Schema so that every proposal is validated before a rule or a person reads it',
    ]);
  });
});

describe("ai-authority/acceptance", () => {
  it("reports an ai step with no accept condition at the step's key", () => {
    const step = `  a: { kind: ai, owner: team:operations, model_task: classify, review: review, next: review }`;
    const found = findings("ai-authority/acceptance", charter("a", step));
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toEqual(["steps", "a"]);
    expect(found[0]!.message).toMatch(/^ai step "a" has no acceptance condition; add accept: \{ when:/);
  });

  it("accepts an ai step with an accept condition", () => {
    expect(findings("ai-authority/acceptance", charter("a", ai("a", "review")))).toEqual([]);
  });
});

describe("ai-authority/review", () => {
  it("reports an ai step with no review route", () => {
    const step = `  a: { kind: ai, owner: team:operations, model_task: classify, accept: { when: "confidence > 0.9" }, next: review }`;
    const found = findings("ai-authority/review", charter("a", step));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "a"],
        'ai step "a" has no review route; add review: <approval or task step> so that a person sees the proposals that are not accepted',
      ],
    ]);
  });

  it("reports a review route to a step that is not a person's, naming its kind", () => {
    const found = findings(
      "ai-authority/review",
      charter("a", ai("a", "review", "", "check"), action("check", "review")),
    );
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "a", "review"],
        'review route of ai step "a" goes to "check", an action step; route proposals that are not accepted to an approval or a task so that a person reviews them',
      ],
    ]);
  });

  it("reports a review route to a decision: rules are not a person", () => {
    const found = findings(
      "ai-authority/review",
      charter("a", ai("a", "review", "", "route"), decision("route", "review", "refused")),
    );
    expect(found[0]!.message).toContain('goes to "route", a decision step');
  });

  it("reports a review route to the exception queue", () => {
    const found = findings("ai-authority/review", charter("a", ai("a", "review", "", "exception")));
    expect(found[0]!.message).toContain("goes to the exception queue;");
  });

  it("accepts a review route to a task", () => {
    const task = `  fix: { kind: task, owner: team:operations, assignee: role:reviewer, due: 1d, expire: { after: 3d, goto: stalled }, next: review }`;
    expect(findings("ai-authority/review", charter("a", ai("a", "review", "", "fix"), task))).toEqual([]);
  });

  it("leaves a review route to an unknown step to the defined rules", () => {
    expect(findings("ai-authority/review", charter("a", ai("a", "review", "", "reveiw")))).toEqual([]);
  });
});

describe("ai-authority/ungated-irreversible", () => {
  const rule = "ai-authority/ungated-irreversible";

  it("names the whole path when several actions lie between the ai step and the irreversible action", () => {
    const found = findings(
      rule,
      charter(
        "triage",
        decision("triage", "extract", "review"),
        ai("extract", "enrich"),
        action("enrich", "convert"),
        action("convert", "lookup"),
        action("lookup", "pay"),
        pay(),
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toEqual(["steps", "extract"]);
    expect(found[0]!.message).toBe(
      'AI output of step "extract" reaches irreversible action "pay" via extract -> enrich -> convert -> lookup -> pay with no decision or human step on the way; route it through a decision or an approval',
    );
  });

  it("accepts a path through a decision", () => {
    expect(
      findings(rule, charter("extract", ai("extract", "route"), decision("route", "pay", "review"), pay())),
    ).toEqual([]);
  });

  it("accepts a path through an approval", () => {
    expect(findings(rule, charter("extract", ai("extract", "ok"), approval("ok", "pay"), pay()))).toEqual([]);
  });

  it("follows the expire route of an approval, since nobody decided", () => {
    const found = findings(
      rule,
      charter("extract", ai("extract", "ok"), approval("ok", "done", "pay"), pay()),
    );
    expect(found[0]!.message).toContain("via extract -> ok -> pay");
  });

  it("follows error routes of later steps", () => {
    const found = findings(
      rule,
      charter(
        "extract",
        ai("extract", "enrich"),
        `  enrich: { kind: action, owner: team:operations, handler: ops.run, timeout: 30s, on_error: { LATE: pay, default: exception }, next: review }`,
        pay(),
      ),
    );
    expect(found[0]!.message).toContain("via extract -> enrich -> pay");
  });

  it("does not follow the ai step's own review or error routes: they carry no accepted output", () => {
    expect(
      findings(rule, charter("extract", ai("extract", "review", ", on_error: { default: pay }"), pay())),
    ).toEqual([]);
  });

  it("passes through waits, child workflows and other ai steps", () => {
    const found = findings(
      rule,
      charter(
        "extract",
        ai("extract", "hold"),
        `  hold: { kind: wait, owner: team:operations, until: "run.started", timeout: 1d, on_timeout: exception, next: child }`,
        `  child: { kind: workflow, owner: team:operations, workflow: enrich, outcomes: { default: summarize } }`,
        ai("summarize", "pay"),
        pay(),
      ),
    );
    expect(found.map((d) => d.message.split(" with ")[0])).toEqual([
      'AI output of step "extract" reaches irreversible action "pay" via extract -> hold -> child -> summarize -> pay',
      'AI output of step "summarize" reaches irreversible action "pay" via summarize -> pay',
    ]);
  });

  it("terminates on loops and reports each target once", () => {
    const found = findings(
      rule,
      charter(
        "extract",
        ai("extract", "again"),
        `  again: { kind: action, owner: team:operations, handler: ops.run, timeout: 30s, on_error: { RETRY: extract, LOOP: again, default: exception }, next: pay }`,
        pay(),
      ),
    );
    expect(found.map((d) => d.message.split(" with ")[0])).toEqual([
      'AI output of step "extract" reaches irreversible action "pay" via extract -> again -> pay',
    ]);
  });

  it("reports each irreversible action the output reaches, once per action", () => {
    const found = findings(
      rule,
      charter(
        "extract",
        ai("extract", "split"),
        `  split: { kind: action, owner: team:operations, handler: ops.run, timeout: 30s, on_error: { OTHER: refund, default: exception }, next: pay }`,
        pay(),
        pay("refund"),
      ),
    );
    expect(found.map((d) => d.message.split(" with ")[0])).toEqual([
      'AI output of step "extract" reaches irreversible action "pay" via extract -> split -> pay',
      'AI output of step "extract" reaches irreversible action "refund" via extract -> split -> refund',
    ]);
  });

  it("stops at the first irreversible action on a path: gating it gates what follows", () => {
    const found = findings(
      rule,
      charter("extract", ai("extract", "pay"), pay("pay", "notify"), pay("notify", "done")),
    );
    expect(found.map((d) => d.message)).toHaveLength(1);
    expect(found[0]!.message).toContain('irreversible action "pay"');
  });

  it("treats a join as gated when another branch holds an approval: the run passes it only after the decision", () => {
    const found = findings(
      rule,
      charter(
        "extract",
        ai("extract", "both"),
        `  both: { kind: parallel, owner: team:operations, branches: [[left], [right]], next: pay }`,
        `  left: { kind: action, owner: team:operations, handler: ops.left, timeout: 30s, on_error: { default: exception } }`,
        `  right: { kind: approval, owner: team:operations, assignee: role:reviewer, not_by: [initiator], require_reason: true, due: 1d, expire: { after: 3d, goto: exception }, outcomes: { approved: continue, rejected: exception } }`,
        pay(),
      ),
    );
    // As for an approval in sequence, what counts is that a person decided before the payment,
    // not what they were shown: the join waits for the approval's branch.
    expect(found).toEqual([]);
  });

  it("follows an ai step inside a branch to the join", () => {
    const found = findings(
      rule,
      charter(
        "fan",
        `  fan: { kind: parallel, owner: team:operations, branches: [[read, enrich]], next: pay }`,
        `  read: { kind: ai, owner: team:operations, model_task: classify, accept: { when: "confidence >= 0.9" }, review: review }`,
        `  enrich: { kind: action, owner: team:operations, handler: ops.run, timeout: 30s, on_error: { default: exception } }`,
        pay(),
      ),
    );
    expect(found[0]!.message).toContain("via read -> enrich -> pay");
  });

  it("finds every ungated chain of a 5,000-step charter with thousands of ai steps, once each", () => {
    // Built as a value, not YAML text: the test measures the rules, not the parser.
    const step = { owner: "team:operations" };
    const act = {
      ...step,
      kind: "action",
      handler: "ops.run",
      timeout: "30s",
      on_error: { default: "exception" },
    };
    const steps: Record<string, unknown> = {};
    const groups = 2500;
    for (let i = 0; i < groups; i++) {
      steps[`a${i}`] = {
        ...step,
        kind: "ai",
        model_task: "classify",
        accept: { when: "confidence >= 0.9" },
        review: "review",
        next: `s${i}`,
      };
      steps[`s${i}`] = { ...act, next: i + 1 < groups ? `a${i + 1}` : "pay" };
    }
    steps["pay"] = { ...act, irreversible: true, idempotency: "input.requestId", next: "done" };
    steps["review"] = {
      ...step,
      kind: "approval",
      assignee: "role:reviewer",
      due: "1d",
      expire: { after: "3d", goto: "done" },
      outcomes: { approved: "done", rejected: "done" },
    };
    steps["done"] = { kind: "end", outcome: "done" };
    const value = { ...(parse(MINIMAL_YAML) as object), start: "a0", steps };
    const loaded = loadCharterValue(value, "large.yaml");
    expect(loaded.diagnostics).toEqual([]);
    // Speed is measured in bench/ (npm run bench); here, that every chain is found once.
    const result = lintCharter(loaded.charter!, {}, [...aiAuthorityRules, ...oversightRules]);
    expect(result.filter((f) => f.ruleId === rule)).toHaveLength(groups);
  });
});

describe("ai-authority/ungated-success", () => {
  const rule = "ai-authority/ungated-success";

  it("reports an ai step whose accepted output ends the run in success", () => {
    const found = findings(rule, charter("extract", ai("extract", "tidy"), action("tidy", "done")));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "extract"],
        'AI output of step "extract" reaches success outcome "done" (end "done") via extract -> tidy -> done with no decision or human step on the way; route it through a decision or an approval',
      ],
    ]);
  });

  it("does not count an end marked success: false", () => {
    expect(findings(rule, charter("extract", ai("extract", "stalled")))).toEqual([]);
  });

  it("does not count an end whose outcome is not listed in success.outcomes", () => {
    const fields = charter("extract", ai("extract", "parked"), "  parked: { kind: end, outcome: parked }");
    expect(findings(rule, fields)).toEqual([]);
  });

  it("accepts an accepted output that goes through a decision first", () => {
    expect(
      findings(rule, charter("extract", ai("extract", "route"), decision("route", "done", "review"))),
    ).toEqual([]);
  });
});

describe("ai-authority/ai-actor", () => {
  const rule = "ai-authority/ai-actor";

  it("reports an AI as the charter's owner", () => {
    const found = findings(rule, "owner: ai:gpt-4o");
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["owner"],
        'the charter\'s owner is "ai:gpt-4o", an AI; an AI is never accountable: make a team, a role or a user the owner',
      ],
    ]);
  });

  it("reports an AI as a step's owner", () => {
    const found = findings(
      rule,
      charter("check", action("check", "done").replace("team:operations", "ai:gpt-4o")),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "check", "owner"]]);
    expect(found[0]!.message).toContain('owner of step "check" is "ai:gpt-4o", an AI');
  });

  it("reports an AI as an assignee and as an escalation target", () => {
    const step = `  ok: { kind: approval, owner: team:operations, assignee: ai:claude, escalate: { after: 1d, to: ai:gpt-4o }, not_by: [initiator], require_reason: true, due: 1d, expire: { after: 3d, goto: stalled }, outcomes: { approved: done, rejected: refused } }`;
    const found = findings(rule, charter("ok", step));
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["steps", "ok", "assignee"],
        'assignee of approval "ok" is "ai:claude", an AI; AI output is a proposal, never a decision: name a role or a user',
      ],
      [
        ["steps", "ok", "escalate", "to"],
        'escalate.to of approval "ok" is "ai:gpt-4o", an AI; AI output is a proposal, never a decision: name a role or a user',
      ],
    ]);
  });

  it("reports an assignee expression that can evaluate to an AI", () => {
    const step = `  ok: { kind: task, owner: team:operations, assignee: "input.amount > 10 ? 'role:reviewer' : 'ai:gpt-4o'", due: 1d, expire: { after: 3d, goto: stalled }, next: done }`;
    const found = findings(rule, charter("ok", step));
    expect(found[0]!.message).toContain('assignee of task "ok" can evaluate to "ai:gpt-4o", an AI');
  });

  it("accepts an assignee expression that computes a role", () => {
    const step = `  ok: { kind: task, owner: team:operations, assignee: "input.amount > 10 ? 'role:reviewer' : 'user:rita'", due: 1d, expire: { after: 3d, goto: stalled }, next: done }`;
    expect(findings(rule, charter("ok", step))).toEqual([]);
  });

  it("reports an AI among a role's members in the directory", () => {
    const found = findings(rule, "owner: team:operations", {
      directory: { roles: { reviewer: ["user:rita", "ai:gpt-4o"] } },
    });
    expect(found.map((d) => [d.path, d.message])).toEqual([
      [
        ["roles", "reviewer"],
        'role "reviewer" has member "ai:gpt-4o" in the directory, an AI; an AI cannot hold a role, since role holders decide human steps: remove it',
      ],
    ]);
  });
});
