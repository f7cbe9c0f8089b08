import { describe, expect, it } from "vitest";
import { compileExpression } from "./compile.js";
import { contextReferences } from "./references.js";

function referencesOf(source: string) {
  const compiled = compileExpression(source);
  if (!compiled.ok) throw new Error(`${source}: ${compiled.message}`);
  return contextReferences(compiled.ast, compiled.source);
}

const paths = (source: string) => referencesOf(source).map((ref) => ref.path.join("."));

describe("contextReferences", () => {
  // [expression, the root-context paths it reads, in source order]
  const table: [string, string[]][] = [
    // plain paths, quoted names
    ["input", ["input"]],
    ["input.amount > 100", ["input.amount"]],
    [
      "steps.extract.output.total <= 1000 and steps.`match-po`.output.matched",
      ["steps.extract.output.total", "steps.match-po.output.matched"],
    ],
    ["input.vendorId & '-' & steps.extract.output.number", ["input.vendorId", "steps.extract.output.number"]],
    ["run.initiator = 'user:ann'", ["run.initiator"]],
    ["a ? b : c", ["a", "b", "c"]],
    // filters and indexes end the static path after their name; what they read is relative
    ["input.lines[amount > 100].sku", ["input.lines"]],
    ["input.lines[0].sku", ["input.lines"]],
    ["input.a.b[c = 1][0].d", ["input.a.b"]],
    ['input["a"]', ["input"]],
    ["$count(input.lines[true])", ["input.lines"]],
    // ... but the root is reachable from anywhere through $$
    ["input.lines[amount > $$.input.limit]", ["input.lines", "input.limit"]],
    ["input.lines.(sku & $$.run.id)", ["input.lines", "run.id"]],
    // later steps, groupings, sorts and wildcards are relative
    ["input.lines.$sum(amount)", ["input.lines"]],
    ["input.(a + b)", ["input"]],
    ["input.lines{sku: amount}", ["input.lines"]],
    ["input.lines^(>amount).sku", ["input.lines"]],
    ["input.*.x", ["input"]],
    ["input.lines@$l.x", ["input.lines"]],
    ['input ~> |lines|{"checked": true}|', ["input"]],
    // $ is the root at the root, and the current item elsewhere
    ["$.input.a", ["input.a"]],
    ["$$.input.a", ["input.a"]],
    ["input.lines[$.amount > 1]", ["input.lines"]],
    ["$string($$)", []],
    // variables and functions are not context reads; their arguments may be
    ["$x.foo", []],
    ["($x := input.a; $x.b)", ["input.a"]],
    ["$sum(input.lines.amount)", ["input.lines.amount"]],
    ["$map(input.lines, function($l) { $l.amount })", ["input.lines"]],
    ["input.lines ~> $map(function($v) { $v.sku })", ["input.lines"]],
    ["$filter(input.lines, function($l) { $l.amount > input.limit })", ["input.lines", "input.limit"]],
    ["function($l) { $l.amount }(input.lines)", ["input.lines"]],
    // constructors and blocks keep the context
    ["[input.a, 1][0]", ["input.a"]],
    ['{"k": input.a, "n": steps.x.output}', ["input.a", "steps.x.output"]],
    ["(input).x", ["input"]],
    ["-input.a", ["input.a"]],
    ["input.a in [1, 2]", ["input.a"]],
    // `?:` and `??` share a subtree: each reference once
    ["steps.foo.output ?: 1", ["steps.foo.output"]],
    ["steps.foo.output ?? 1", ["steps.foo.output"]],
    // an unquoted dashed id is a subtraction: both operands are reported, for the rule to explain
    ["steps.match-po.output", ["steps.match", "po.output"]],
    // a string used as a path step is a field name
    ['"input".x', ["input.x"]],
  ];

  it.each(table)("%s reads %j", (source, expected) => {
    expect(paths(source)).toEqual(expected);
  });

  it("gives the offset of each name, pointing at the backtick of a quoted one", () => {
    const source = "input.amount > 5 and steps.`match-po`.output.matched";
    const [input, steps] = referencesOf(source);
    expect(input).toMatchObject({ offset: 0, offsets: [0, 6] });
    expect(steps!.offsets.map((offset) => source.slice(offset, offset + 5))).toEqual([
      "steps",
      "`matc",
      "outpu",
      "match",
    ]);
  });

  it("gives the offset after $$ and $", () => {
    expect(referencesOf("$$.input.a")[0]).toMatchObject({ offset: 3, offsets: [3, 9] });
    expect(referencesOf("$.input.a")[0]).toMatchObject({ offset: 2 });
  });

  it("reports a name read twice once per place it is written", () => {
    expect(referencesOf("input.a & input.a").map((ref) => ref.offset)).toEqual([0, 10]);
  });

  it("walks a long expression without recursion trouble", () => {
    const source = Array.from({ length: 300 }, (_, i) => `input.f${i}`).join(" + ");
    expect(paths(source)).toHaveLength(300);
  });
});
