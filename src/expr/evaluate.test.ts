import { describe, expect, it } from "vitest";
import type { CompiledExpression } from "./compile.js";
import { _internals, compileExpression } from "./compile.js";
import { ExpressionError, isExpressionError } from "./errors.js";
import { evaluateExpression } from "./evaluate.js";

const context = {
  input: {
    amount: 250,
    vendorId: "v-1",
    lines: [
      { sku: "a", amount: 50 },
      { sku: "b", amount: 200 },
    ],
  },
  steps: { extract: { output: { total: 250, number: "INV-7" } }, "match-po": { output: { matched: true } } },
  run: { id: "run-1", initiator: "user:ann" },
};

function compile(source: string): CompiledExpression {
  const compiled = compileExpression(source);
  if (!compiled.ok) throw new Error(`${source}: ${compiled.message}`);
  return compiled;
}

/** A manual clock: every reading advances it by `step` ms, so a loop times out with no waiting. */
function manualClock(step = 1) {
  let now = 0;
  return () => (now += step);
}

async function failure(promise: Promise<unknown>): Promise<ExpressionError> {
  try {
    await promise;
  } catch (error) {
    if (isExpressionError(error)) return error;
    throw error;
  }
  throw new Error("expected the evaluation to fail");
}

const FOREVER = "($loop := function($n) { $loop($n + 1) }; $loop(0))";
const BOTTOMLESS = "($down := function($n) { 1 + $down($n + 1) }; $down(0))";

describe("evaluateExpression", () => {
  it("evaluates over the run context", async () => {
    const when = compile("steps.extract.output.total <= 1000 and steps.`match-po`.output.matched");
    expect(await evaluateExpression(when, context)).toBe(true);
    const key = compile("input.vendorId & '-' & steps.extract.output.number");
    expect(await evaluateExpression(key, context)).toBe("v-1-INV-7");
    expect(await evaluateExpression(compile("input.lines[amount > 100].sku"), context)).toBe("b");
  });

  it("returns undefined when nothing matches", async () => {
    expect(await evaluateExpression(compile("input.missing"), context)).toBeUndefined();
  });

  it("returns plain JSON data: arrays and objects without JSONata's markers", async () => {
    const result = await evaluateExpression(
      compile("$sift(input, function($v, $k) { $k = 'lines' })"),
      context,
    );
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    const lines = await evaluateExpression(compile("input.lines.sku"), context);
    expect(lines).toEqual(["a", "b"]);
    expect(Object.keys(lines as object)).toEqual(["0", "1"]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("can be compiled once and evaluated many times, concurrently, under different limits", async () => {
    const compiled = compile("$sum(input.lines.amount)");
    const results = await Promise.all([
      evaluateExpression(compiled, context),
      evaluateExpression(compiled, { input: { lines: [{ amount: 1 }] } }, { maxDepth: 50 }),
      evaluateExpression(compiled, context, { timeoutMs: 10_000 }),
    ]);
    expect(results).toEqual([250, 1, 250]);
  });

  it("stops a loop that never ends at timeoutMs (on the given clock)", async () => {
    const error = await failure(
      evaluateExpression(compile(FOREVER), context, { clock: manualClock(), timeoutMs: 500 }),
    );
    expect(error.code).toBe("EXPRESSION_TIMEOUT");
    expect(error.details).toEqual({ timeoutMs: 500 });
  });

  it("a timeout in one evaluation does not affect another of the same expression", async () => {
    const compiled = compile("input.amount > 100 ? 'big' : 'small'");
    await failure(evaluateExpression(compiled, context, { clock: manualClock(1000), timeoutMs: 1 }));
    expect(await evaluateExpression(compiled, context)).toBe("big");
  });

  it("stops unbounded recursion at maxDepth", async () => {
    const error = await failure(evaluateExpression(compile(BOTTOMLESS), context, { maxDepth: 300 }));
    expect(error.code).toBe("EXPRESSION_TOO_DEEP");
    expect(error.details).toEqual({ maxDepth: 300 });
  });

  it("stops unbounded recursion with the default limits", async () => {
    expect((await failure(evaluateExpression(compile(BOTTOMLESS), context))).code).toBe(
      "EXPRESSION_TOO_DEEP",
    );
  });

  it("allows bounded recursion within maxDepth", async () => {
    const factorial = compile("($f := function($n) { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))");
    expect(await evaluateExpression(factorial, context)).toBe(3628800);
  });

  it("refuses a result larger than maxResultBytes", async () => {
    const error = await failure(
      evaluateExpression(compile("[1..100000]"), context, { maxResultBytes: 1000 }),
    );
    expect(error.code).toBe("EXPRESSION_RESULT_TOO_LARGE");
    expect(error.details).toEqual({ maxResultBytes: 1000 });
  });

  it("measures the result as its JSON text in UTF-8", async () => {
    // "éé" is 4 bytes in UTF-8, plus 2 quotes.
    expect(await evaluateExpression(compile("'éé'"), context, { maxResultBytes: 6 })).toBe("éé");
    const error = await failure(evaluateExpression(compile("'éé'"), context, { maxResultBytes: 5 }));
    expect(error.code).toBe("EXPRESSION_RESULT_TOO_LARGE");
    const object = await evaluateExpression(compile('{"a": [1, true], "b": null}'), context, {
      maxResultBytes: JSON.stringify({ a: [1, true], b: null }).length,
    });
    expect(object).toEqual({ a: [1, true], b: null });
  });

  it("reports a failing expression with JSONata's code and position", async () => {
    const error = await failure(evaluateExpression(compile("input.amount + input.vendorId"), context));
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.code).toBe("EXPRESSION_FAILED");
    expect(error.message).toMatch(/^expression failed at column 14: /);
    expect(error.details).toMatchObject({ jsonataCode: "T2002" });
  });

  it("refuses a result that is a function", async () => {
    const error = await failure(evaluateExpression(compile("function($x) { $x }"), context));
    expect(error.code).toBe("EXPRESSION_FAILED");
    expect(error.message).toContain("evaluated to a function");
  });

  it("answers $now() and $millis() with the given now", async () => {
    expect(await evaluateExpression(compile("$now()"), context, { now: 0 })).toBe("1970-01-01T00:00:00.000Z");
    expect(await evaluateExpression(compile("$millis()"), context, { now: 1234 })).toBe(1234);
    expect(
      await evaluateExpression(compile("$now('[Y0001]-[M01]')"), context, { now: Date.UTC(2025, 2, 1) }),
    ).toBe("2025-03");
  });

  it("keeps JSONata's own $now() when no now is given", async () => {
    expect(await evaluateExpression(compile("$now()"), context)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe("expressions cannot reach the process, the file system or the network", () => {
  it("has no $eval: refused when compiled, and refused when run", async () => {
    expect(compileExpression('$eval("1 + 1")').ok).toBe(false);
    const unchecked = _internals.compileUnchecked('$eval("$$.input.amount")');
    const error = await failure(evaluateExpression(unchecked, context));
    expect(error.code).toBe("EXPRESSION_FAILED");
    expect(error.message).toContain("$eval is not available");
  });

  it.each([
    "process",
    "$process",
    "$require",
    "globalThis",
    "$globalThis",
    "input.constructor",
    "input.__proto__",
    "$lookup(input, 'constructor')",
    "$keys(input.__proto__)",
    "$string.constructor",
    "$process.exit(1)",
  ])("%s is nothing", async (source) => {
    expect(await evaluateExpression(compile(source), context)).toBeUndefined();
  });

  it.each([
    "$lookup($lookup(input, 'constructor'), 'constructor')('return process')()",
    "(input.constructor.constructor)('return process')()",
    "$require('node:fs')",
  ])("%s cannot be called", async (source) => {
    expect((await failure(evaluateExpression(compile(source), context))).code).toBe("EXPRESSION_FAILED");
  });

  it("cannot read the evaluation's own limits", async () => {
    const seen = await evaluateExpression(compile("$keys($$)"), context);
    expect(seen).toEqual(["input", "steps", "run"]);
  });
});
