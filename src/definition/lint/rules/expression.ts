/**
 * expression: every JSONata expression of a charter compiles, within its length limit. Each
 * expression is parsed once per lint and shared with the rules that read its syntax tree
 * (defined/unknown-reference).
 */
import type { ParseResult } from "../../../expr/compile.js";
import { parseExpressions } from "../../../expr/parse-many.js";
import { BUILTIN_FUNCTIONS, unboundNames } from "../../../expr/variables.js";
import type { ExpressionSite } from "../../expressions.js";
import { didYouMean } from "../../suggest.js";
import type { Rule, RuleContext } from "../rule.js";

// Keyed by the lint's list of sites: one lint shares one list between its rules, and a WeakMap
// lets the parsed expressions go with it.
const parsedByLint = new WeakMap<readonly ExpressionSite[], Map<ExpressionSite, ParseResult>>();

/**
 * The syntax tree of a site's expression (or why it has none). The first call in a lint parses
 * every site of the charter together, which is much faster than one by one (see parse-many.ts).
 */
export function parsedSite(context: RuleContext, site: ExpressionSite): ParseResult {
  let parsed = parsedByLint.get(context.expressions);
  if (!parsed) {
    const results = parseExpressions(
      context.expressions.map((s) => s.source),
      { maxLength: context.limits.maxExpressionLength },
    );
    parsed = new Map(context.expressions.map((s, i) => [s, results[i]!]));
    parsedByLint.set(context.expressions, parsed);
  }
  return (
    parsed.get(site) ?? parseExpressions([site.source], { maxLength: context.limits.maxExpressionLength })[0]!
  );
}

const ACTION = `
start: check
steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.check`;
const ACTION_END = `
    timeout: 30s
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`;

const syntax: Rule = {
  id: "expression/syntax",
  severity: "error",
  summary: "Every expression is valid JSONata.",
  rationale:
    `Expressions (\`when\`, \`input\`, \`idempotency\`, assignees, correlations, \`for_each\`)
are JSONata, compiled when the charter is linted and deployed. One that does not compile would fail
the run that reaches it, so the linter refuses it and points at the token where it goes wrong.
Step ids with a \`-\` are quoted with backticks: \`` +
    "steps.`match-po`.output" +
    `\`. \`$eval\` is not
available: an expression cannot build and run another one.`,
  example: {
    bad: `${ACTION}
    input: "{ 'id': input.requestId, 'amount': input.amount * }"${ACTION_END}`,
    good: `${ACTION}
    input: "{ 'id': input.requestId, 'amount': input.amount * 100 }"${ACTION_END}`,
  },
  check(context) {
    for (const site of context.expressions) {
      const parsed = parsedSite(context, site);
      if (parsed.ok || parsed.code === "too-long") continue;
      context.report({ message: parsed.message, path: site.path, offset: parsed.offset });
    }
  },
};

/** 4,500 characters, folded over lines of eight terms so that the docs page stays readable. */
const LONG_EXPRESSION = Array.from({ length: 40 }, () => Array(8).fill("input.amount").join(" + ")).join(
  " +\n      ",
);

const tooLong: Rule = {
  id: "expression/too-long",
  severity: "error",
  summary: "No expression is longer than the `maxExpressionLength` limit (4096 characters by default).",
  rationale: `An expression is a condition or a small mapping that a reader takes in at a glance, and one
that the engine evaluates on every run. A long one hides business logic in a string that no test
covers and no diagram shows. Move the logic into a handler (an \`action\` step, tested as code) or
split a long condition into ordered \`decision\` rules. The limit is the \`maxExpressionLength\`
option.`,
  example: {
    bad: `${ACTION}
    input: >-
      ${LONG_EXPRESSION}${ACTION_END}`,
    good: `${ACTION}
    input: "input.amount * 320"${ACTION_END}`,
  },
  check(context) {
    for (const site of context.expressions) {
      const parsed = parsedSite(context, site);
      if (parsed.ok || parsed.code !== "too-long") continue;
      context.report({ message: parsed.message, path: site.path });
    }
  },
};

const unknownName: Rule = {
  id: "expression/unknown-name",
  severity: "error",
  summary: "Every `$function` and `$variable` an expression uses exists.",
  rationale: `JSONata names its functions and variables with a \`$\`: \`$sum(...)\`, \`$x := ...\`. A misspelt
function (\`$summ\`) fails only when a run reaches the expression, and a variable nobody bound
(\`$limit\`) quietly evaluates to nothing, so that a condition is simply false. Charter binds no
variables of its own: an expression may use JSONata's functions and the names it binds itself
(\`$x := ...\`, \`function($line) {...}\`). Read the run's data through \`input\`, \`steps\` and \`run\`.`,
  example: {
    bad: `${ACTION}
    input: "{ 'id': input.requestId, 'total': $summ(input.amount) }"${ACTION_END}`,
    good: `${ACTION}
    input: "{ 'id': input.requestId, 'total': $sum(input.amount) }"${ACTION_END}`,
  },
  check(context) {
    for (const site of context.expressions) {
      const parsed = parsedSite(context, site);
      if (!parsed.ok) continue;
      for (const { name, offset, called } of unboundNames(parsed.ast)) {
        const message = called
          ? `unknown function "$${name}"; JSONata has no such function.${didYouMean(name, BUILTIN_FUNCTIONS)}`
          : `unknown variable "$${name}": nothing in the expression binds it (read data through input, steps or run).${didYouMean(name, BUILTIN_FUNCTIONS)}`;
        context.report({ message, path: site.path, offset });
      }
    }
  },
};

export const expressionRules: readonly Rule[] = [syntax, tooLong, unknownName];
