/**
 * What a compiled expression may do, installed once per compiled expression:
 *
 * - a hook JSONata calls on entry to every node, which enforces the evaluation's time and depth
 *   budget. The budget travels in the evaluation's own bindings, so one compiled expression can be
 *   evaluated concurrently under different limits;
 * - `$eval` replaced by a function that refuses: an expression may not build and run another one
 *   (that would escape the linter's checks of what it reads);
 * - `$now()` and `$millis()` answer the evaluation's `now` when one is given, so that the engine
 *   evaluates deterministically.
 *
 * JSONata has no function that reaches the process, the file system or the network, and its path
 * lookups read only own properties of plain data (no `constructor`, no prototype).
 */
import jsonata from "jsonata";
import { ExpressionError } from "./errors.js";

/** Per-evaluation state, bound under a name no expression can write (it holds a space). */
export const BUDGET_BINDING = " charter budget";

export interface Budget {
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly maxDepth: number;
  readonly clock: () => number;
  readonly now: number | undefined;
  /** The first limit breached: rethrown even if JSONata wraps or swallows the throw. */
  breach?: ExpressionError;
}

/** Functions an expression may not call, with the reason given in lint and at run time. */
export const FORBIDDEN_FUNCTIONS: Readonly<Record<string, string>> = {
  eval: "$eval is not available in a charter expression: an expression cannot build and run another expression",
};

interface Frame {
  lookup(name: string | symbol): unknown;
  readonly timestamp?: Date;
  readonly base?: Frame & { depth?: number };
}

const ENTRY_HOOK = Symbol.for("jsonata.__evaluate_entry");
const NOW_FORMAT = jsonata("$fromMillis($millis, $picture, $timezone)");

export function installGuards(expression: jsonata.Expression): void {
  // JSONata types `assign` with string names; it binds symbols too, and looks its hooks up by symbol.
  (expression.assign as (name: string | symbol, value: unknown) => void)(ENTRY_HOOK, checkBudget);
  for (const [name, reason] of Object.entries(FORBIDDEN_FUNCTIONS)) {
    expression.registerFunction(name, () => {
      throw new ExpressionError("EXPRESSION_FAILED", reason, { details: { function: name } });
    });
  }
  expression.registerFunction(
    "millis",
    function () {
      return nowOf(this.environment as unknown as Frame);
    },
    "<:n>",
  );
  expression.registerFunction(
    "now",
    function (picture?: string, timezone?: string) {
      const millis = nowOf(this.environment as unknown as Frame);
      return NOW_FORMAT.evaluate(null, { millis, picture, timezone });
    },
    "<s?s?:s>",
  );
}

function checkBudget(_node: unknown, _input: unknown, environment: Frame): void {
  const base = environment.base;
  const budget = base?.lookup(BUDGET_BINDING) as Budget | undefined;
  if (!budget) return;
  if ((base?.depth ?? 0) > budget.maxDepth) {
    budget.breach ??= new ExpressionError(
      "EXPRESSION_TOO_DEEP",
      `expression nested deeper than ${budget.maxDepth} levels (option maxDepth); look for a recursive function that never stops`,
      { details: { maxDepth: budget.maxDepth } },
    );
    throw budget.breach;
  }
  if (budget.clock() > budget.deadline) {
    budget.breach ??= new ExpressionError(
      "EXPRESSION_TIMEOUT",
      `expression ran longer than ${budget.timeoutMs} ms (option timeoutMs); look for a loop that never ends`,
      { details: { timeoutMs: budget.timeoutMs } },
    );
    throw budget.breach;
  }
}

function nowOf(environment: Frame): number {
  const budget = environment.base?.lookup(BUDGET_BINDING) as Budget | undefined;
  // Without a given `now`, keep JSONata's rule: one timestamp for the whole evaluation.
  return budget?.now ?? environment.timestamp?.getTime() ?? 0;
}
