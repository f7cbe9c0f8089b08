import { describe, expect, it } from "vitest";
import { lintText, withFields } from "../../../../test/helpers/charters.js";
import { collectExpressionSites } from "../../expressions.js";
import { buildGraph } from "../../graph.js";
import { resolveDefinitionLimits } from "../../limits.js";
import { loadCharter } from "../../load.js";
import type { RuleContext } from "../rule.js";
import { parsedSite } from "./expression.js";

/** The minimal charter whose action step carries `input: <yaml>` (a scalar written as given). */
function withActionInput(inputYaml: string): string {
  const text = withFields(`
start: check
steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.check
    timeout: 30s
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`);
  return text.replace(
    "    handler: requests.check\n",
    `    handler: requests.check\n    input: ${inputYaml}\n`,
  );
}

const OWN_RULES = ["expression/syntax", "expression/too-long", "defined/unknown-reference"];
const own = (text: string, limits = resolveDefinitionLimits()) =>
  lintText(text, "test.yaml", { limits }).filter((d) => OWN_RULES.includes(d.ruleId));

const lineOf = (text: string, needle: string) =>
  text.split("\n").findIndex((line) => line.includes(needle)) + 1;

describe("expression/syntax", () => {
  it("points at the bad token in a plain scalar", () => {
    const text = withActionInput("input.amount > = 5");
    const [finding] = lintText(text).filter((d) => d.ruleId === "expression/syntax");
    expect(finding).toMatchObject({
      line: lineOf(text, "input: input.amount"),
      col: 5 + "input: ".length + 15,
    });
    expect(finding!.message).toBe('unexpected "=": a value was expected here');
  });

  it("points inside a double-quoted scalar, past its quote", () => {
    const text = withActionInput('"$sum(input.amount"');
    const [finding] = lintText(text).filter((d) => d.ruleId === "expression/syntax");
    expect(finding!.message).toBe('expected ")" to close the call started at column 5');
    // The offset is the end of the expression, just past its 17 characters and the opening quote.
    expect(finding!.col).toBe(5 + "input: ".length + 1 + 17);
  });

  it("points at the right line of a block scalar", () => {
    const text = withActionInput("|-\n      input.amount > 5 and\n      input.requestId = = 'x'");
    const [finding] = lintText(text).filter((d) => d.ruleId === "expression/syntax");
    expect(finding).toMatchObject({ line: lineOf(text, "input.requestId = ="), col: 7 + 18 });
  });

  it("refuses $eval", () => {
    const diagnostics = lintText(withActionInput(`"$eval('1')"`)).filter(
      (d) => d.ruleId === "expression/syntax",
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain("$eval is not available");
  });

  it("reports each broken expression once, and nothing about a valid one", () => {
    const text = withActionInput(`"input.amount *"`);
    expect(lintText(text).filter((d) => d.ruleId.startsWith("expression/"))).toHaveLength(1);
    expect(
      lintText(withActionInput(`"input.amount * 2"`)).filter((d) => d.ruleId.startsWith("expression/")),
    ).toEqual([]);
  });
});

describe("expression/too-long", () => {
  const limits = resolveDefinitionLimits({ maxExpressionLength: 20 });

  it("reports an expression over maxExpressionLength at its start, and nothing else about it", () => {
    const text = withActionInput(`"input.amount + input.amount +"`);
    const diagnostics = own(text, limits);
    expect(diagnostics.map((d) => d.ruleId)).toEqual(["expression/too-long"]);
    expect(diagnostics[0]).toMatchObject({ line: lineOf(text, "input: "), col: 5 + "input: ".length });
    expect(diagnostics[0]!.message).toContain("the limit is 20 (option maxExpressionLength)");
  });

  it("accepts an expression at the limit", () => {
    expect(own(withActionInput(`"input.amount + 1000"`), limits)).toEqual([]);
  });
});

describe("parsedSite", () => {
  it("parses each site once per lint", () => {
    const loaded = loadCharter(withActionInput(`"input.amount * 2"`), "test.yaml");
    const charter = loaded.charter!;
    const expressions = collectExpressionSites(charter);
    const context = {
      charter,
      graph: buildGraph(charter),
      expressions,
      options: {},
      limits: resolveDefinitionLimits(),
      report: () => undefined,
    } satisfies RuleContext;
    const first = parsedSite(context, expressions[0]!);
    expect(first.ok).toBe(true);
    expect(parsedSite({ ...context }, expressions[0]!)).toBe(first);
    // Another lint (another list of sites) parses afresh.
    expect(parsedSite({ ...context, expressions: [...expressions] }, expressions[0]!)).not.toBe(first);
  });
});
