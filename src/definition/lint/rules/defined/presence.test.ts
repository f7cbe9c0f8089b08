import { describe, expect, it } from "vitest";
import { lintText, MINIMAL_YAML } from "../../../../../test/helpers/charters.js";
import { action, end, findings, paths, steps } from "../../../../../test/helpers/step-yaml.js";

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

  it("reports success without outcomes at the success key, saying what to add (not as a schema error)", () => {
    const text = MINIMAL_YAML.replace("success:\n  outcomes: [done]\n", "success:\n  within: 2d\n");
    const found = lintText(text).filter((d) => d.severity === "error");
    expect(found.map((d) => [d.ruleId, d.path, d.line])).toEqual([["defined/success", ["success"], 16]]);
    expect(found[0]!.message).toBe(
      'success has no outcomes, so no run can succeed: add outcomes: [<end outcome>, ...] under success, listing the end outcomes that count as success (its ends produce "done").',
    );
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
