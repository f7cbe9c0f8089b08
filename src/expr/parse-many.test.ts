import { describe, expect, it } from "vitest";
import { compileExpression } from "./compile.js";
import { parseExpressions } from "./parse-many.js";

const VALID = [
  "input",
  "steps.extract.output.total <= 1000 and steps.`match-po`.output.matched",
  "input.lines[amount > 100].sku",
  "steps.foo.output ?: 1",
  "($f := function($n) { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5))",
  "input.lines{sku: amount}",
  'input ~> |lines|{"checked": true}|',
  "$match(input.a, /ab+/i)",
  "input.a /* a comment */ = 1",
  "[1, 2][0]",
  "input.a.%.b",
  '"text"',
];

const INVALID = [
  "input.amount >",
  "$sum(input.lines.amount",
  '"abc',
  "input.a /* note",
  "(1), (2",
  "1; 2",
  " ",
  "%.x",
  '$eval("1")',
];

/** The same results as compiling each expression alone (the tree compared as data). */
function expectSameAsAlone(sources: string[], maxLength?: number) {
  const together = parseExpressions(sources, { maxLength });
  sources.forEach((source, i) => {
    const alone = compileExpression(source, { maxLength });
    const result = together[i]!;
    expect(result.ok, source).toBe(alone.ok);
    if (result.ok && alone.ok)
      expect(JSON.parse(JSON.stringify(result.ast)), source).toEqual(JSON.parse(JSON.stringify(alone.ast)));
    else expect(result, source).toEqual(alone);
  });
}

describe("parseExpressions", () => {
  it("parses valid expressions together, with positions relative to each", () => {
    expectSameAsAlone(VALID);
  });

  it("finds each invalid expression among valid ones, with its own error", () => {
    const mixed = VALID.flatMap((source, i) => [source, INVALID[i % INVALID.length]!]);
    expectSameAsAlone(mixed);
  });

  it("is not fooled by texts that balance each other's brackets or quotes", () => {
    expectSameAsAlone(["1), (2", "3"]);
    expectSameAsAlone(['"abc', 'x"']);
    expectSameAsAlone(["1 + ((", "2))"]);
    expectSameAsAlone(["input.a /*", "*/ input.b"]);
  });

  it("refuses too-long expressions without parsing them", () => {
    expectSameAsAlone(["input.amount + 1", "input.a"], 10);
  });

  it("handles more expressions than one chunk", () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      i % 97 === 0 ? `input.f${i} >` : `input.f${i} > ${i}`,
    );
    const results = parseExpressions(many);
    expect(results.filter((r) => !r.ok)).toHaveLength(11);
    expect(results.every((r, i) => r.ok === (i % 97 !== 0))).toBe(true);
  });
});
