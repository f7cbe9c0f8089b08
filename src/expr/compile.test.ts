import { describe, expect, it } from "vitest";
import { compileExpression } from "./compile.js";

describe("compileExpression", () => {
  it("compiles a valid expression once, with its syntax tree", () => {
    const compiled = compileExpression(
      "steps.extract.output.total <= 1000 and steps.`match-po`.output.matched",
    );
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.ast.type).toBe("binary");
    expect(compiled.source).toContain("match-po");
  });

  it("refuses an expression longer than maxLength before parsing it", () => {
    const result = compileExpression("input.amount + 1", { maxLength: 10 });
    expect(result).toMatchObject({ ok: false, code: "too-long", offset: 10 });
    if (!result.ok) expect(result.message).toContain("the limit is 10");
  });

  it("accepts an expression exactly at maxLength", () => {
    expect(compileExpression("input.a", { maxLength: 7 }).ok).toBe(true);
  });

  it("defaults maxLength to 4096 characters", () => {
    const long = Array.from({ length: 400 }, () => "input.amount").join(" + ");
    expect(compileExpression(long)).toMatchObject({ ok: false, code: "too-long" });
  });

  // [expression, offset of the token the error is about, words the message must hold]
  const syntaxErrors: [string, number, string][] = [
    ["foo(1, 2", 8, 'expected ")" to close the call started at column 4'],
    ["$sum(input.lines.amount", 23, 'expected ")" to close the call started at column 5'],
    ["(input.a; input.b", 17, 'expected ")" to close the parentheses started at column 1'],
    ["[1, 2", 5, 'expected "]" to close the array started at column 1'],
    ['{"a": 1', 7, 'expected "}" to close the object started at column 1'],
    ["input.lines[amount > 1", 22, 'expected "]" to close the filter started at column 12'],
    ["function($x) { $x", 17, 'expected "}" to close the function body started at column 14'],
    ["input.a = 1 and\n  ($count(input.lines) > 2", 42, "parentheses started at line 2, column 3"],
    ["foo(a b)", 6, 'expected "," or ")" in the call started at column 4, got "b"'],
    ["[1 2]", 3, 'expected "," or "]" in the array started at column 1, got "2"'],
    ["input.amount >", 14, 'the expression ends after ">": a value is missing'],
    ["input.amount > 5 and  ", 20, 'the expression ends after "and"'],
    [" ", 0, "the expression is empty"],
    ['"abc', 0, "string is never closed"],
    ["input.a = 'abc", 10, "string is never closed"],
    ["steps.`match-po.output", 6, "backtick (`) is never closed"],
    ["input.a /* note", 8, 'comment is never closed: add "*/"'],
    ["$match(input.a, /(ab/)", 16, "regular expression is never closed"],
    ["a.b]", 3, 'unexpected "]"'],
    ["input.a = = 1", 10, 'unexpected "=": a value was expected here'],
    ["input.total <== 5", 14, 'unexpected "="'],
    ["input.a.b c", 10, 'unexpected "c": is an operator'],
    ['"a" "b"', 4, 'unexpected "b": is an operator'],
    ["$x := input.a; $x.b", 13, "put a sequence of expressions in parentheses"],
    ['"\\q"', 1, 'unsupported escape sequence "\\q"'],
    ["function(x) { x }", 9, 'parameter 1 of a function must be a variable name starting with "$"'],
    ["a := 1", 0, 'the left side of ":=" must be a variable name'],
    ["input.lines.1", 12, "the number 1 cannot be a step in a path"],
    ["1e999", 0, "number 1e999 is out of range"],
  ];

  it.each(syntaxErrors)("reports %j at offset %i", (source, offset, words) => {
    const result = compileExpression(source);
    expect(result).toMatchObject({ ok: false, code: "syntax", offset });
    if (!result.ok) {
      expect(result.message).toContain(words);
      expect(result.message.charAt(0)).toBe(result.message.charAt(0).toLowerCase());
    }
  });

  it("refuses $eval, which would run an expression the linter never saw", () => {
    expect(compileExpression('$eval("1 + 1")')).toMatchObject({ ok: false, code: "not-allowed", offset: 0 });
    expect(compileExpression('($e := $eval; $e("input"))')).toMatchObject({
      ok: false,
      code: "not-allowed",
      offset: 7,
    });
  });

  it("reports an expression nested too deeply for the parser, instead of crashing", () => {
    const deep = "(".repeat(5000) + "1" + ")".repeat(5000);
    const result = compileExpression(deep, { maxLength: 20_000 });
    expect(result).toMatchObject({ ok: false, code: "syntax" });
    if (!result.ok) expect(result.message).toContain("nested too deeply");
  });
});
