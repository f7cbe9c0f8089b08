import { describe, expect, it } from "vitest";
import { lintText, withFields } from "../../../../test/helpers/charters.js";
import { loadCharter } from "../../load.js";
import { lintCharter } from "../lint.js";
import { referenceRules } from "./references.js";

const RULE = "defined/unknown-reference";

const INPUT = `
input:
  schema:
    type: object
    required: [requestId]
    properties:
      requestId: { type: string }
      amount: { type: number }
      vendor-id: { type: string }
      customer:
        type: object
        properties:
          name: { type: string }
          address: { type: object, properties: { city: { type: string } } }
          tags: { type: object, additionalProperties: { type: string } }
          extra: { type: object, properties: { a: { type: string } }, additionalProperties: true }
          either: { oneOf: [{ type: object, properties: { a: { type: string } } }] }
          anything: {}
      lines:
        type: array
        items: { type: object, properties: { sku: { type: string }, amount: { type: number } } }
  on_invalid: reject
model_tasks:
  classify:
    instructions: Classify the request.
    output:
      type: object
      required: [category]
      properties:
        category: { type: string }
        reasons: { type: array, items: { type: string } }
`;

/**
 * A charter where `classify-request` (ai) -> `route` (decision, whose first rule is `when`)
 * -> `collect` (task with a form and `shows`) -> `match-po` (action) -> done.
 */
function charter({ when = "true", shows = "[input]", accept = "confidence >= 0.9" } = {}): string {
  return withFields(`${INPUT}
start: classify-request
steps:
  classify-request:
    kind: ai
    owner: team:operations
    model_task: classify
    accept: { when: ${JSON.stringify(accept)} }
    review: collect
    next: route
  route:
    kind: decision
    owner: team:operations
    rules:
      - when: ${JSON.stringify(when)}
        goto: collect
    default: collect
  collect:
    kind: task
    owner: team:operations
    assignee: role:reviewer
    form: { type: object, properties: { approvedAmount: { type: number } } }
    shows: ${shows}
    due: 1d
    expire: { after: 2d, goto: exception }
    next: match-po
  match-po:
    kind: action
    owner: team:operations
    handler: erp.match
    timeout: 30s
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`);
}

const findings = (text: string) => lintText(text).filter((d) => d.ruleId === RULE);
const messages = (text: string) => findings(text).map((d) => d.message);
const whenReads = (when: string) => messages(charter({ when }));

describe("defined/unknown-reference in expressions", () => {
  it("accepts what exists", () => {
    const when = [
      "input.amount > 5",
      "input.customer.address.city = 'Oslo'",
      "input.lines.sku = 'a'",
      "input.lines[amount > 100].sku",
      "steps.`classify-request`.output.category = 'x'",
      "steps.`classify-request`.confidence > 0.5",
      "steps.collect.output.approvedAmount > 1",
      "steps.`match-po`.output.anything.at.all",
      "run.initiator = 'user:ann'",
      "$count(input.lines) > 0",
    ].join(" and ");
    expect(whenReads(when)).toEqual([]);
  });

  it("names an unknown root, with the names an expression may read", () => {
    expect(whenReads("inptu.amount > 5")).toEqual([
      'unknown name "inptu" in expression; an expression reads input, steps, run. Did you mean "input"?',
    ]);
  });

  it("names an unknown step, suggesting the closest id", () => {
    expect(whenReads("steps.colect.output.approvedAmount > 1")).toEqual([
      'unknown step "colect": no step of this charter has that id. Did you mean "collect"?',
    ]);
  });

  it("explains an unquoted dashed step id once, not as two unknown names", () => {
    expect(whenReads("steps.match-po.output.matched")).toEqual([
      'step id "match-po" has a "-", which JSONata reads as a minus: quote it with backticks, steps.`match-po`',
    ]);
  });

  it("explains an unquoted dashed field", () => {
    expect(whenReads("input.vendor-id = 'v1'")).toEqual([
      'field "vendor-id" has a "-", which JSONata reads as a minus: quote it with backticks, input.`vendor-id`',
    ]);
  });

  it("suggests a step id that differs only in case", () => {
    expect(whenReads("steps.Collect.output.approvedAmount > 1")).toEqual([
      'unknown step "Collect": no step of this charter has that id. Did you mean "collect"?',
    ]);
  });

  it("names a field a step does not expose", () => {
    expect(whenReads("steps.collect.outptu.x")).toEqual([
      'steps.collect has no field "outptu"; a step exposes output, decision, confidence, error, status, attempts. Did you mean "output"?',
    ]);
  });

  it("checks an AI step's output against its model task's output schema", () => {
    expect(whenReads("steps.`classify-request`.output.categry = 'x'")).toEqual([
      'unknown field "categry" in steps.classify-request.output; the output schema of model task "classify" declares category, reasons. Did you mean "category"?',
    ]);
  });

  it("checks a task's output against its form", () => {
    expect(whenReads("steps.collect.output.amount > 1")).toEqual([
      'unknown field "amount" in steps.collect.output; the step\'s form declares approvedAmount.',
    ]);
  });

  it("checks the input against input.schema, through nested properties and array items", () => {
    expect(whenReads("input.customer.adress.city = 'x'")).toEqual([
      'unknown field "adress" in input.customer; input.schema declares name, address, tags, extra, either, anything there. Did you mean "address"?',
    ]);
    expect(whenReads("input.lines.skus = 'a'")).toHaveLength(1);
    expect(whenReads("input.amout > 1")).toHaveLength(1);
  });

  it("accepts anything below a schema that does not list its fields", () => {
    const open = [
      "input.customer.tags.vip",
      "input.customer.extra.b",
      "input.customer.either.b",
      "input.customer.anything.b.c",
      "steps.`match-po`.output.x",
    ];
    expect(whenReads(open.join(" and "))).toEqual([]);
  });

  it("checks run fields", () => {
    expect(whenReads("run.initator = 'x'")).toEqual([
      'run has no field "initator"; run exposes id, started, initiator, workflow, version. Did you mean "initiator"?',
    ]);
  });

  it("does not report names read relative to a filter, a later step or a function argument", () => {
    const relative = [
      "input.lines[amount > 100 and sku = 'a']",
      "input.lines.$sum(amount) > 1",
      "$map(input.lines, function($l) { $l.whatever }) = 1",
      "input.lines{sku: amount}",
    ];
    expect(whenReads(relative.join(" and "))).toEqual([]);
  });

  it("lets an AI acceptance condition read its own output and confidence", () => {
    expect(messages(charter({ accept: "confidence >= 0.9 and output.category = 'x'" }))).toEqual([]);
    expect(messages(charter({ accept: "output.categry = 'x'" }))).toEqual([
      'unknown field "categry" in output; the output schema of model task "classify" declares category, reasons. Did you mean "category"?',
    ]);
  });

  it("reports each wrong reference once, even where JSONata shares a subtree", () => {
    expect(whenReads("steps.nope.output ?: steps.nope.output")).toHaveLength(2);
    expect(whenReads("steps.nope.output ?? 1")).toHaveLength(1);
  });

  it("points at the wrong name inside the expression", () => {
    const text = charter({ when: "input.amount > 5 and steps.colect.output" });
    const [finding] = findings(text);
    const line = text.split("\n")[finding!.line! - 1]!;
    expect(line.slice(finding!.col! - 1)).toMatch(/^colect\.output/);
  });

  it("lets steps of a for_each branch read the item", () => {
    const text = withFields(`${INPUT}
start: each
steps:
  each:
    kind: parallel
    owner: team:operations
    for_each: input.lines
    concurrency: 5
    branch: [check-line]
    next: done
  check-line:
    kind: action
    owner: team:operations
    handler: lines.check
    input: "{ 'sku': item.sku, 'n': index, 'r': input.requestId }"
    timeout: 30s
    on_error: { default: exception }
  done: { kind: end, outcome: done }
`);
    expect(findings(text)).toEqual([]);
  });
});

describe("defined/unknown-reference in shows", () => {
  it("accepts plain dotted paths, with dashed ids written as they are", () => {
    expect(
      messages(
        charter({
          shows: "[input, steps, steps.match-po.output, steps.classify-request.output.category, run.id]",
        }),
      ),
    ).toEqual([]);
  });

  it("reports an unknown step, field or root at the entry", () => {
    const text = charter({ shows: "[input, steps.clasify-request.output, input.amont, inputs]" });
    expect(findings(text).map((d) => d.message)).toEqual([
      'unknown step "clasify-request": no step of this charter has that id. Did you mean "classify-request"?',
      'unknown field "amont" in input; input.schema declares requestId, amount, vendor-id, customer, lines. Did you mean "amount"?',
      'unknown name "inputs" in shows entry; a shows entry reads input, steps, run. Did you mean "input"?',
    ]);
    // Each at the name that is wrong, in its own entry.
    const lines = text.split("\n");
    expect(findings(text).map((d) => lines[d.line! - 1]!.slice(d.col! - 1))).toEqual([
      "clasify-request.output",
      "amont",
      "inputs",
    ]);
  });

  it("refuses backticks in a shows entry", () => {
    expect(messages(charter({ shows: '["steps.`match-po`.output"]' }))).toEqual([
      '"steps.`match-po`.output" is not a context path: a shows entry is names joined by ".", with no backticks or spaces even when a step id has a "-", e.g. steps.match-po.output',
    ]);
  });
});

describe("defined/unknown-reference at scale", () => {
  it("lints a charter of 5,000 steps that all read earlier steps", () => {
    const steps = Array.from({ length: 5000 }, (_, i) => {
      const next = i + 1 < 5000 ? `s-${i + 1}` : "done";
      const reads = i > 0 ? `steps.\`s-${i - 1}\`.output.total > input.amount` : "input.amount > 0";
      return `  s-${i}:
    kind: decision
    owner: team:operations
    rules: [{ when: "${reads} and steps.\`s-${i}x\`.output", goto: ${next} }]
    default: ${next}`;
    });
    const text = withFields(
      `${INPUT}\nstart: s-0\nsteps:\n${steps.join("\n")}\n  done: { kind: end, outcome: done }\n`,
    );
    const found = lintCharter(loadCharter(text, "large.yaml").charter!, {}, referenceRules);
    // Every step reads one step that does not exist: 5,000 findings, one each, with a suggestion.
    expect(found).toHaveLength(5000);
    expect(found[1]!.message).toBe(
      'unknown step "s-1x": no step of this charter has that id. Did you mean "s-1"?',
    );
  });
});
