/**
 * The words rule messages share: how a field, a list of names, a step kind and a path of steps are
 * written, and the "Did you mean" hint for a name looked up many times.
 */
import type { ValuePath } from "../../diagnostic.js";
import { didYouMean } from "../../suggest.js";
import { formatPath } from "../../validate.js";

/** `rules[0].goto` for `["steps", "route", "rules", 0, "goto"]`: the field, as users write it. */
export function fieldOf(path: ValuePath): string {
  return formatPath(path[0] === "steps" ? path.slice(2) : path);
}

/** `"a", "b" and 3 more`: a short list of names for a message. */
export function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${rest} more` : shown.join(", ");
}

/** "an action", "a decision": a step kind with its article, for messages. */
export function withArticle(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** A path of up to this many steps is shown whole in a message. */
const PATH_SHOWN = 10;
/** Steps shown before the count in a longer path (then the last step). */
const PATH_HEAD = 8;

/**
 * `a -> b -> c`. A path of thousands of steps shows its first steps, how many are left out, and its
 * last step. `head` holds the path's first steps: all but the last when the path is short.
 */
export function formatStepPath(head: readonly string[], length: number, last: string): string {
  if (length <= PATH_SHOWN) return [...head.slice(0, length - 1), last].join(" -> ");
  return [...head.slice(0, PATH_HEAD), `(${length - PATH_HEAD - 1} more steps)`, last].join(" -> ");
}

/** How many leading steps of a path {@link formatStepPath} may need. */
export const PATH_HEAD_NEEDED = PATH_SHOWN - 1;

/** Candidate comparisons "Did you mean" may spend in one rule run (bounds broken huge charters). */
const SUGGESTION_BUDGET = 100_000;

/** `didYouMean`, memoised per name and bounded in total work, for rules that look many names up. */
export function createSuggester(candidates: readonly string[]): (name: string) => string {
  const memo = new Map<string, string>();
  let budget = SUGGESTION_BUDGET;
  return (name) => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    if (budget < candidates.length) return "";
    budget -= candidates.length;
    const hint = didYouMean(name, candidates);
    memo.set(name, hint);
    return hint;
  };
}
