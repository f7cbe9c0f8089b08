import { describe, expect, it } from "vitest";
import { largeCharterYaml } from "../../../../test/helpers/large-charter.js";
import { lintText, MINIMAL_YAML, withFields } from "../../../../test/helpers/charters.js";
import type { Diagnostic } from "../../diagnostic.js";
import { loadCharter } from "../../load.js";
import type { Charter } from "../../schema.js";
import { lintCharter } from "../lint.js";
import type { LintOptions } from "../rule.js";
import { definedRules } from "./defined.js";

/** Lint the minimal charter with some top-level fields replaced; keep one rule's findings. */
function findings(ruleId: string, fields: string, options: LintOptions = {}): Diagnostic[] {
  return lintText(withFields(fields), "test.yaml", options).filter((d) => d.ruleId === ruleId);
}

function messages(ruleId: string, fields: string, options: LintOptions = {}): string[] {
  return findings(ruleId, fields, options).map((d) => d.message);
}

function paths(ruleId: string, fields: string, options: LintOptions = {}): Diagnostic["path"][] {
  return findings(ruleId, fields, options).map((d) => d.path);
}

function charterOf(text: string): Charter {
  const loaded = loadCharter(text, "child.yaml");
  if (!loaded.charter) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.charter;
}

/** A production-ready action step (as YAML lines under `steps:`), with optional extra lines. */
const action = (id: string, next?: string, extra = "") =>
  `
  ${id}:
    kind: action
    owner: team:operations
    handler: requests.run
    timeout: 30s
    on_error: { default: exception }${next === undefined ? "" : `\n    next: ${next}`}${extra}`;

const end = (id: string, outcome = id, extra = "") => `
  ${id}: { kind: end, outcome: ${outcome}${extra} }`;

const approval = (id: string, outcomes: string, extra = "") => `
  ${id}:
    kind: approval
    owner: team:operations
    assignee: role:reviewer
    not_by: [initiator]
    require_reason: true
    due: 1d
    expire: { after: 3d, goto: exception }
    outcomes: ${outcomes}${extra}`;

const steps = (start: string, ...defs: string[]) => `start: ${start}\nsteps:${defs.join("")}\n`;

describe("defined rules", () => {
  it("leave the minimal charter without errors", () => {
    expect(
      lintText(MINIMAL_YAML).filter((d) => d.ruleId.startsWith("defined/") && d.severity === "error"),
    ).toEqual([]);
  });

  it("each have a kebab-case id in the defined family, a summary and a rationale", () => {
    for (const rule of definedRules) {
      expect(rule.id).toMatch(/^defined\/[a-z]+(-[a-z]+)*$/);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(100);
    }
    expect(new Set(definedRules.map((r) => r.id)).size).toBe(definedRules.length);
  });
});

describe("defined/trigger", () => {
  it("reports a charter without triggers at its workflow id", () => {
    const text = MINIMAL_YAML.replace("triggers:\n  - manual: {}\n", "");
    const found = lintText(text).filter((d) => d.ruleId === "defined/trigger");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: ["workflow"], severity: "error" });
    expect(found[0]!.message).toContain('Charter "minimal" has no triggers');
  });

  it("reports an empty trigger list at the list", () => {
    expect(paths("defined/trigger", "triggers: []")).toEqual([["triggers"]]);
  });

  it("accepts any one trigger", () => {
    expect(findings("defined/trigger", "triggers: [{ schedule: { cron: '0 6 * * 1-5' } }]")).toEqual([]);
  });
});

describe("defined/input-schema", () => {
  it("reports a charter without input", () => {
    const text = MINIMAL_YAML.replace(/input:\n( {2}.*\n)*/, "");
    const found = lintText(text).filter((d) => d.ruleId === "defined/input-schema");
    expect(found.map((d) => d.path)).toEqual([["workflow"]]);
    expect(found[0]!.message).toMatch(/has no input: add input: \{ schema:/);
  });

  it("reports an input without schema at the input key", () => {
    const found = findings("defined/input-schema", "input: { on_invalid: reject }");
    expect(found.map((d) => d.path)).toEqual([["input"]]);
    expect(found[0]!.message).toMatch(/^input has no schema/);
  });

  it("reports an unknown type name where it is written, with the closest type", () => {
    const found = findings(
      "defined/input-schema",
      "input: { schema: { type: object, properties: { amount: { type: numbr } } }, on_invalid: reject }",
    );
    expect(found.map((d) => d.path)).toEqual([["input", "schema", "properties", "amount", "type"]]);
    expect(found[0]!.message).toBe(
      'input.schema is not a valid JSON Schema (draft 2020-12): properties.amount.type must be one of array, boolean, integer, null, number, object, string, got "numbr". Did you mean "number"?',
    );
  });

  it("reports each wrongly typed keyword once, at its place", () => {
    const found = findings(
      "defined/input-schema",
      'input: { schema: { type: object, required: requestId, properties: { a: { minLength: "3" } } }, on_invalid: reject }',
    );
    expect(found.map((d) => d.path)).toEqual([
      ["input", "schema", "required"],
      ["input", "schema", "properties", "a", "minLength"],
    ]);
    expect(found[0]!.message).toMatch(/required must be array$/);
  });

  it("reports a $ref that resolves nowhere at the $ref, suggesting the closest definition", () => {
    const found = findings(
      "defined/input-schema",
      'input: { schema: { type: object, properties: { a: { $ref: "#/$defs/adress" } }, $defs: { address: { type: string } } }, on_invalid: reject }',
    );
    expect(found.map((d) => d.path)).toEqual([["input", "schema", "properties", "a", "$ref"]]);
    expect(found[0]!.message).toMatch(
      /can't resolve reference #\/\$defs\/adress.*Did you mean "#\/\$defs\/address"\?$/,
    );
  });

  it("reports an invalid regular expression at its pattern", () => {
    expect(
      paths(
        "defined/input-schema",
        'input: { schema: { type: object, properties: { a: { type: string, pattern: "([a-z]" } } }, on_invalid: reject }',
      ),
    ).toEqual([["input", "schema", "properties", "a", "pattern"]]);
  });

  it("reports an unknown format, which would silently check nothing", () => {
    const found = findings(
      "defined/input-schema",
      "input: { schema: { type: object, properties: { email: { type: string, format: emial } } }, on_invalid: reject }",
    );
    expect(found.map((d) => d.path)).toEqual([["input", "schema", "properties", "email", "format"]]);
    expect(found[0]!.message).toMatch(/"emial" is not a known format.*Did you mean "email"\?$/);
  });

  it("reports a $schema other than draft 2020-12", () => {
    const found = findings(
      "defined/input-schema",
      'input: { schema: { $schema: "http://json-schema.org/draft-07/schema#", type: object }, on_invalid: reject }',
    );
    expect(found.map((d) => d.path)).toEqual([["input", "schema", "$schema"]]);
    expect(found[0]!.message).toContain("draft 2020-12");
  });

  it("refuses a meta-schema's $id, and goes on checking later schemas", () => {
    expect(
      paths(
        "defined/input-schema",
        'input: { schema: { $id: "https://json-schema.org/draft/2020-12/schema#", type: object }, on_invalid: reject }',
      ),
    ).toEqual([["input", "schema", "$id"]]);
    expect(paths("defined/input-schema", "input: { schema: { type: strin }, on_invalid: reject }")).toEqual([
      ["input", "schema", "type"],
    ]);
  });

  it("does not let one schema's nested $id satisfy another schema's $ref", () => {
    const defines =
      'input: { schema: { type: object, properties: { a: { $id: "https://example.com/address", type: string } } }, on_invalid: reject }';
    expect(findings("defined/input-schema", defines)).toEqual([]);
    expect(
      paths(
        "defined/input-schema",
        'input: { schema: { $ref: "https://example.com/address" }, on_invalid: reject }',
      ),
    ).toEqual([["input", "schema", "$ref"]]);
  });

  it("accepts formats, local references and the same $id in several schemas and lints", () => {
    const fields = `
input:
  schema:
    $id: https://example.com/request
    type: object
    properties:
      email: { type: string, format: email }
      when: { type: string, format: date-time }
      address: { $ref: "#/$defs/address" }
    $defs:
      address: { type: object, properties: { city: { type: string, pattern: "^[A-Z]" } } }
  on_invalid: reject
model_tasks:
  classify:
    instructions: Classify.
    input: { $id: https://example.com/request, type: object }
    output: { type: object }
`;
    expect(findings("defined/input-schema", fields)).toEqual([]);
    expect(findings("defined/json-schema", fields)).toEqual([]);
    expect(findings("defined/input-schema", fields)).toEqual([]);
  });
});

describe("defined/json-schema", () => {
  it("reports an invalid task form, naming the task", () => {
    const found = findings(
      "defined/json-schema",
      steps(
        "review",
        `
  review:
    kind: task
    owner: team:operations
    assignee: role:reviewer
    form: { type: object, properties: { note: { type: txt } } }
    due: 1d
    expire: { after: 3d, goto: exception }
    next: done`,
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "review", "form", "properties", "note", "type"]]);
    expect(found[0]!.message).toMatch(/^The form of task "review" is not a valid JSON Schema/);
  });

  it("reports invalid model task input and output schemas", () => {
    const found = findings(
      "defined/json-schema",
      `
model_tasks:
  classify:
    instructions: Classify.
    input: { type: object, required: text }
    output: { type: object, properties: { category: { enum: red } } }
`,
    );
    expect(found.map((d) => d.path)).toEqual([
      ["model_tasks", "classify", "input", "required"],
      ["model_tasks", "classify", "output", "properties", "category", "enum"],
    ]);
    expect(found[0]!.message).toMatch(/^The input of model task "classify"/);
    expect(found[1]!.message).toMatch(/^The output of model task "classify"/);
  });
});

describe("defined/owner", () => {
  it("reports a charter without owner at its workflow id", () => {
    const found = lintText(MINIMAL_YAML.replace("owner: team:operations\ntriggers", "triggers")).filter(
      (d) => d.ruleId === "defined/owner",
    );
    expect(found.map((d) => d.path)).toEqual([["workflow"]]);
    expect(found[0]!.message).toMatch(/^Charter "minimal" has no owner: add owner: team:<id>/);
  });

  it("reports every step without owner at its key, but not end steps", () => {
    const found = findings(
      "defined/owner",
      steps(
        "check",
        `
  check:
    kind: action
    handler: requests.check
    timeout: 30s
    on_error: { default: exception }
    next: route
  route:
    kind: decision
    rules: [{ when: "input.amount > 1", goto: done }]
    default: done`,
        end("done"),
      ),
    );
    expect(found.map((d) => [d.path, d.line])).toEqual([
      [["steps", "check"], expect.any(Number)],
      [["steps", "route"], expect.any(Number)],
    ]);
    expect(found[0]!.message).toMatch(/^Step "check" \(action\) has no owner/);
  });
});

describe("defined/success", () => {
  it("reports a charter without success, naming the outcomes its ends produce", () => {
    const text = MINIMAL_YAML.replace("success:\n  outcomes: [done]\n", "");
    const found = lintText(text).filter((d) => d.ruleId === "defined/success");
    expect(found.map((d) => d.path)).toEqual([["workflow"]]);
    expect(found[0]!.message).toContain('(its ends produce "done")');
  });

  it("reports an empty success list", () => {
    expect(paths("defined/success", "success: { outcomes: [] }")).toEqual([["success", "outcomes"]]);
  });

  it("reports a success outcome no end step produces, at the entry, with the closest outcome", () => {
    const found = findings("defined/success", "success: { outcomes: [done, dnoe] }");
    expect(found.map((d) => d.path)).toEqual([["success", "outcomes", 1]]);
    expect(found[0]!.message).toBe(
      'Success outcome "dnoe" is not the outcome of any end step. Did you mean "done"? Add an end step with outcome: dnoe, or remove it from success.outcomes.',
    );
  });

  it("reports end steps whose success flag contradicts success.outcomes", () => {
    const found = findings(
      "defined/success",
      steps(
        "check",
        action("check", "route"),
        `
  route:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.amount > 1", goto: cancelled }]
    default: done`,
        end("done", "done", ", success: false"),
        end("cancelled", "cancelled", ", success: true"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "done", "success"],
      ["steps", "cancelled", "success"],
    ]);
    expect(found[0]!.message).toMatch(
      /^End step "done" says success: false, but its outcome "done" is listed/,
    );
    expect(found[1]!.message).toMatch(
      /^End step "cancelled" says success: true, but its outcome "cancelled" is not/,
    );
  });

  it("accepts an end that states its listed or unlisted outcome explicitly", () => {
    expect(
      findings(
        "defined/success",
        steps(
          "check",
          action("check", "route"),
          `
  route:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.amount > 1", goto: stopped }]
    default: done`,
          end("done", "done", ", success: true"),
          end("stopped", "stopped", ", success: false"),
        ),
      ),
    ).toEqual([]);
  });
});

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
    outcomes: { default: nowhere-8 }`,
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

describe("defined/routes", () => {
  const routeMessages = (...defs: string[]) => messages("defined/routes", steps("start-here", ...defs));

  it("reports steps outside a branch that have no next, at their key", () => {
    const found = findings(
      "defined/routes",
      steps(
        "check",
        action("check"),
        `
  extract:
    kind: ai
    owner: team:operations
    model_task: classify
    accept: { when: "confidence > 0.9" }
    review: check
  hold:
    kind: wait
    owner: team:operations
    until: input.when
    timeout: 1d
    on_timeout: exception
  fill:
    kind: task
    owner: team:operations
    assignee: role:reviewer
    due: 1d
    expire: { after: 2d, goto: exception }
  fan:
    kind: parallel
    owner: team:operations
    branches: [[notify]]`,
        action("notify"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "check"],
      ["steps", "extract"],
      ["steps", "hold"],
      ["steps", "fill"],
      ["steps", "fan"],
    ]);
    expect(found[0]!.message).toBe(
      'Step "check" (action) has no next: add next: <step id>, the step a run goes to when the action succeeds.',
    );
    expect(found[3]!.message).toMatch(/^Task "fill" has no route forward/);
    expect(found[4]!.message).toMatch(/^Step "fan" \(parallel\) has no next/);
  });

  it("reports a branch step with its own next, at the next", () => {
    const found = findings(
      "defined/routes",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a], [b]]
    next: done`,
        action("a", "done"),
        action("b"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "a", "next"]]);
    expect(found[0]!.message).toBe(
      'Step "a" is in branch 1 of parallel "fan" and has its own next: remove it. The branch list gives the order, and "fan"\'s next follows the join.',
    );
  });

  it("reports a step listed in two branches at its second listing", () => {
    const found = findings(
      "defined/routes",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, b], [b]]
    next: more
  more:
    kind: parallel
    owner: team:operations
    for_each: input.items
    concurrency: 2
    branch: [a]
    next: done`,
        action("a"),
        action("b"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "fan", "branches", 1, 0],
      ["steps", "more", "branch", 0],
    ]);
    expect(found[0]!.message).toBe(
      'Step "b" is listed in branches[1] of parallel "fan" but is already in branches[0] of parallel "fan": a step belongs to one branch. Give each branch its own step.',
    );
  });

  it("reports a parallel with both, or neither, of branches and for_each", () => {
    expect(
      paths(
        "defined/routes",
        steps(
          "fan",
          `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a]]
    for_each: input.items
    next: none
  none:
    kind: parallel
    owner: team:operations
    next: done`,
          action("a"),
          end("done"),
        ),
      ),
    ).toEqual([
      ["steps", "fan", "for_each"],
      ["steps", "none"],
    ]);
  });

  it("reports branch, as and concurrency without for_each, and for_each without branch", () => {
    const found = findings(
      "defined/routes",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branch: [a]
    as: order
    concurrency: 3
    next: each
  each:
    kind: parallel
    owner: team:operations
    for_each: input.items
    concurrency: 3
    next: done`,
        action("a"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "fan", "branch"],
      ["steps", "fan", "as"],
      ["steps", "fan", "concurrency"],
      ["steps", "each", "for_each"],
    ]);
    expect(found[3]!.message).toMatch(/^Parallel "each" has for_each but no branch/);
  });

  it("reports a task with both next and outcomes", () => {
    expect(
      routeMessages(
        `
  start-here:
    kind: task
    owner: team:operations
    assignee: role:reviewer
    due: 1d
    expire: { after: 2d, goto: exception }
    next: done
    outcomes: { ok: done }`,
        end("done"),
      ),
    ).toEqual([
      'Task "start-here" has both next and outcomes: keep outcomes to route by what the person chose, or next to always go on the same way.',
    ]);
  });

  it("reports an approval that does not route approved or rejected", () => {
    const found = findings(
      "defined/routes",
      steps("approve", approval("approve", "{ approved: done, escalated: done }"), end("done")),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "approve", "outcomes"]]);
    expect(found[0]!.message).toBe(
      'Approval "approve" does not route "rejected": add rejected: <step id> to outcomes (an approval must say where both approved and rejected go).',
    );
  });

  it("reports a wait with both or neither of event and until", () => {
    const wait = (id: string, on: string) => `
  ${id}:
    kind: wait
    owner: team:operations${on}
    timeout: 1d
    on_timeout: exception
    next: done`;
    const found = findings(
      "defined/routes",
      steps(
        "both",
        wait(
          "both",
          '\n    event: { name: po.received, correlate: "input.po" }\n    until: input.when',
        ).replace("next: done", "next: neither"),
        wait("neither", ""),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "both", "until"],
      ["steps", "neither"],
    ]);
    expect(found[1]!.message).toMatch(/^Wait "neither" waits for nothing/);
  });

  it("reports an end step inside a branch, and a parallel listing itself", () => {
    const found = findings(
      "defined/routes",
      steps(
        "fan",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, done], [fan]]
    next: done`,
        action("a"),
        end("done"),
      ),
    );
    const at = (path: readonly (string | number)[]) =>
      found.find((d) => JSON.stringify(d.path) === JSON.stringify(path));
    expect(at(["steps", "fan", "branches", 0, 1])?.message).toMatch(
      /lists end step "done" in branches\[0\]\[1\]: a branch cannot end the run/,
    );
    expect(at(["steps", "fan", "branches", 1, 0])?.message).toMatch(/^Parallel "fan" lists itself/);
  });

  it("reports a route into the middle of a branch from outside it, and a start inside a branch", () => {
    const found = findings(
      "defined/routes",
      steps(
        "b",
        `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, b]]
    next: done`,
        action("a"),
        action("b"),
        action("retry", "a"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["start"], ["steps", "retry", "next"]]);
    expect(found[1]!.message).toBe(
      'Step "retry" goes to "a" in next, but "a" is inside branch 1 of parallel "fan" and can only be entered through it: route to "fan" instead.',
    );
  });

  it("accepts routes between steps of the same branch, and nested parallels", () => {
    expect(
      findings(
        "defined/routes",
        steps(
          "fan",
          `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, inner, b]]
    next: done`,
          action("a", undefined, "\n    on_error: { FAILED: b, default: exception }").replace(
            "\n    on_error: { default: exception }",
            "",
          ),
          `
  inner:
    kind: parallel
    owner: team:operations
    branches: [[c]]`,
          action("c", undefined, "\n    on_error: { FAILED: b, default: exception }").replace(
            "\n    on_error: { default: exception }",
            "",
          ),
          action("b"),
          end("done"),
        ),
      ),
    ).toEqual([]);
  });
});

describe("defined/unreachable", () => {
  it("reports each step that no route from start reaches, at its key", () => {
    const found = findings(
      "defined/unreachable",
      steps(
        "check",
        action("check", "done"),
        action("orphan", "follower"),
        action("follower", "done"),
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "orphan"],
      ["steps", "follower"],
    ]);
    expect(found[0]!.message).toBe(
      'Step "orphan" is unreachable: no route leads to it from start "check". Route to it from a reachable step, or remove it.',
    );
    expect(found[1]!.message).toBe(
      'Step "follower" is unreachable: only unreachable steps route to it ("orphan"). Route to it from a reachable step, or remove it.',
    );
  });

  it("counts the input.on_invalid route, error routes and branches as routes", () => {
    expect(
      findings(
        "defined/unreachable",
        `
input: { schema: { type: object }, on_invalid: fix-input }
${steps(
  "check",
  action("check", "fan").replace("default: exception", "default: failed"),
  `
  fan:
    kind: parallel
    owner: team:operations
    branches: [[a, b]]
    next: done`,
  action("a"),
  action("b"),
  action("fix-input", "done"),
  end("done"),
  end("failed", "failed", ", success: false"),
)}`,
      ),
    ).toEqual([]);
  });

  it("says nothing when start is unknown (defined/unknown-step reports the cause)", () => {
    expect(findings("defined/unreachable", steps("chekc", action("check", "done"), end("done")))).toEqual([]);
  });
});

describe("defined/no-end", () => {
  it("reports every step of a loop that nothing leaves, at its key", () => {
    const found = findings(
      "defined/no-end",
      steps(
        "route",
        `
  route:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.amount > 1", goto: ping }]
    default: done
  ping:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.amount > 2", goto: pong }]
    default: pong
  pong:
    kind: decision
    owner: team:operations
    rules: [{ when: "input.amount > 2", goto: ping }]
    default: ping`,
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "ping"],
      ["steps", "pong"],
    ]);
    expect(found[0]!.message).toBe(
      'Step "ping" never reaches an end: its routes only loop (ping → pong → ping). Route a step of the loop to an end step or to "exception".',
    );
  });

  it("reports a loop that only on_error routes leave", () => {
    const found = findings("defined/no-end", steps("a", action("a", "b"), action("b", "a"), end("done")));
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "a"],
      ["steps", "b"],
    ]);
    expect(found[0]!.message).toContain("and only on_error routes leave the loop");
  });

  it("counts the exception queue, a timeout and an expiry as ways to end", () => {
    const loop = steps(
      "wait",
      `
  wait:
    kind: wait
    owner: team:operations
    until: input.when
    timeout: 1d
    on_timeout: done
    next: review`,
      approval("review", "{ approved: wait, rejected: exception }").replace("goto: exception", "goto: wait"),
      end("done"),
    );
    expect(findings("defined/no-end", loop)).toEqual([]);
  });

  it("leaves dead ends, unknown targets and unreachable steps to their own rules", () => {
    expect(
      findings(
        "defined/no-end",
        steps(
          "a",
          action("a", "b"),
          action("b"),
          action("c", "nowhere"),
          action("x", "y"),
          action("y", "x"),
          end("done"),
        ),
      ),
    ).toEqual([]);
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

describe("defined/unknown-workflow and defined/child-outcome", () => {
  const child = charterOf(`
charter: 1
workflow: vendor-check
title: Vendor check
start: screen
steps:
  screen:
    kind: decision
    rules: [{ when: "input.blocked", goto: blocked }]
    default: approved
  approved: { kind: end, outcome: approved }
  blocked: { kind: end, outcome: blocked, success: false }
`);
  const options: LintOptions = { workflows: new Map([["vendor-check", child]]) };
  const callChild = (workflow: string, outcomes: string) =>
    steps(
      "vet",
      `
  vet:
    kind: workflow
    owner: team:operations
    workflow: ${workflow}
    timeout: 5d
    outcomes: ${outcomes}`,
      end("done"),
    );

  it("say nothing when the charters linted together are not given", () => {
    const text = callChild("vendor-chek", "{ approved: done }");
    expect(findings("defined/unknown-workflow", text)).toEqual([]);
    expect(findings("defined/child-outcome", text)).toEqual([]);
  });

  it("warn about a child that is not among the linted charters, with the closest id", () => {
    const found = findings(
      "defined/unknown-workflow",
      callChild("vendor-chek", "{ default: done }"),
      options,
    );
    expect(found.map((d) => [d.path, d.severity])).toEqual([[["steps", "vet", "workflow"], "warning"]]);
    expect(found[0]!.message).toBe(
      'Step "vet" starts workflow "vendor-chek", which is not among the charters linted with this one. Did you mean "vendor-check"?',
    );
  });

  it("report an outcome the child never ends with, at its key", () => {
    const found = findings(
      "defined/child-outcome",
      callChild("vendor-check", "{ approved: done, blockd: done, default: done }"),
      options,
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "vet", "outcomes", "blockd"]]);
    expect(found[0]!.message).toBe(
      'Step "vet" routes outcome "blockd", but workflow "vendor-check" never ends with it. Did you mean "blocked"? Its outcomes are "approved", "blocked".',
    );
  });

  it("report child outcomes that are not routed when there is no default", () => {
    const found = findings("defined/child-outcome", callChild("vendor-check", "{ approved: done }"), options);
    expect(found.map((d) => d.path)).toEqual([["steps", "vet", "outcomes"]]);
    expect(found[0]!.message).toBe(
      'Step "vet" does not route outcome "blocked" of workflow "vendor-check": add blocked: <step id>, or default: <step id>.',
    );
    expect(
      findings(
        "defined/child-outcome",
        callChild("vendor-check", "{ approved: done, default: done }"),
        options,
      ),
    ).toEqual([]);
  });

  it("know the charter itself as a child without being told", () => {
    const found = findings("defined/child-outcome", callChild("minimal", "{ finished: done }"));
    expect(found.map((d) => d.path)).toEqual([
      ["steps", "vet", "outcomes"],
      ["steps", "vet", "outcomes", "finished"],
    ]);
  });
});

describe("defined/unused", () => {
  it("warns about a role and a model task nothing uses, at their keys", () => {
    const found = findings("defined/unused", "owner: team:operations");
    expect(found.map((d) => [d.path, d.severity])).toEqual([
      [["roles", "reviewer"], "warning"],
      [["model_tasks", "classify"], "warning"],
    ]);
    expect(found[0]!.message).toBe(
      'Role "reviewer" is declared but never used: no owner, assignee, escalate.to or not_by names role:reviewer. Use it or remove it.',
    );
  });

  it("counts roles named in not_by and inside assignee expressions", () => {
    const roles = `
roles:
  reviewer: { members: [user:rita] }
  auditor: { members: [user:aldo] }
  cfo: { members: [user:carl] }
`;
    const text = `${roles}${steps(
      "approve",
      approval("approve", "{ approved: done, rejected: done }")
        .replace("[initiator]", "[initiator, role:auditor]")
        .replace("assignee: role:reviewer", `assignee: "input.amount > 1 ? 'role:cfo' : 'role:reviewer'"`),
      end("done"),
    )}`;
    expect(paths("defined/unused", text)).toEqual([["model_tasks", "classify"]]);
  });
});

describe("defined/role-members", () => {
  const usesReviewer = (roles: string) => `roles: ${roles}\nowner: role:reviewer`;

  it("warns about a used role with no members, at the role or at its empty list", () => {
    expect(paths("defined/role-members", usesReviewer("{ reviewer: { description: Reviews } }"))).toEqual([
      ["roles", "reviewer"],
    ]);
    const found = findings("defined/role-members", usesReviewer("{ reviewer: { members: [] } }"));
    expect(found.map((d) => [d.path, d.severity])).toEqual([[["roles", "reviewer", "members"], "warning"]]);
    expect(found[0]!.message).toBe(
      'Role "reviewer" has no members, so nobody can act as role:reviewer: add members: [user:<id>, ...].',
    );
  });

  it("takes members from the directory", () => {
    expect(
      findings("defined/role-members", usesReviewer("{ reviewer: {} }"), {
        directory: { roles: { reviewer: ["user:rita"] } },
      }),
    ).toEqual([]);
  });

  it("stays quiet when the charter names a directory file the linter was not given", () => {
    expect(
      findings("defined/role-members", `${usesReviewer("{ reviewer: {} }")}\ndirectory: ./people.yaml`),
    ).toEqual([]);
  });

  it("leaves unused roles to defined/unused", () => {
    expect(findings("defined/role-members", "roles: { reviewer: {} }")).toEqual([]);
  });
});

// Built as values, not YAML: these tests are about the rules, and parsing 5,000 steps dominates otherwise.
describe("defined rules at scale", () => {
  const large = charterOf(largeCharterYaml(5000));

  it("lint a valid 5,000-step charter with no finding", () => {
    expect(lintCharter(large, {}, definedRules)).toEqual([]);
  });

  it("report each of thousands of broken routes in a 5,000-step charter", () => {
    const broken = structuredClone(large);
    for (const [id, step] of Object.entries(broken.steps))
      if (step.kind === "ai") step.review = id.replace("classify-", "reviw-");
    const found = lintCharter(broken, {}, definedRules);
    const count = (id: string) => found.filter((f) => f.ruleId === id).length;
    expect(count("defined/unknown-step")).toBe(999);
    expect(count("defined/unreachable")).toBe(999);
    expect(found.find((f) => f.ruleId === "defined/unknown-step")?.message).toMatch(
      /Did you mean "review-0"\?$/,
    );
  });

  it("report every step of a 5,000-step loop", () => {
    const size = 5000;
    const loop: Charter = {
      ...large,
      start: "s0",
      steps: Object.fromEntries(
        Array.from({ length: size }, (_, i) => [
          `s${i}`,
          {
            kind: "decision" as const,
            owner: "team:operations",
            rules: [{ when: `input.amount > ${i}`, goto: `s${(i + 1) % size}` }],
            default: `s${(i + 2) % size}`,
          },
        ]),
      ),
    };
    const found = lintCharter(loop, {}, definedRules);
    expect(found.filter((f) => f.ruleId === "defined/no-end")).toHaveLength(size);
  });
});
