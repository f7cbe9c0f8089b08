/**
 * contextReferences: the paths an expression reads from the root of the run context, found in its
 * syntax tree. `steps.extract.output.total <= 1000` reads ["steps", "extract", "output", "total"].
 *
 * JSONata evaluates a name against the current context, and the context changes inside a path:
 * in `input.lines[amount > 100].sku`, `amount` and `sku` are read from each line, not from the
 * root. So a walk carries whether it is at the root context; only names read there are reported.
 *
 * - A path's first name starts a reference; later name steps extend it, and it stops at the first
 *   step that is not a plain name (a filter or index ends it after its name; `*`, `(...)`, a
 *   function call, `%` end it before).
 * - Filters, sorts, groupings, later path steps and transforms read relative data.
 * - `$$` is always the root; `$` is the root only where the context is the root.
 * - A lambda's body is read against the context where the lambda is written (JSONata closes over
 *   it), so `function($l) { $l.amount > input.limit }` at the top reads `input.limit`; `$l.amount`
 *   starts from a variable and is never a context reference.
 */
import type { ExpressionNode } from "./compile.js";

export interface ContextReference {
  /** Field names from the root, e.g. ["steps", "match-po", "output", "matched"]. */
  readonly path: readonly string[];
  /** 0-based offset in the source of the first name (of a quoted name, its opening backtick). */
  readonly offset: number;
  /** The offset of each name of `path`, for reporting at the one that is wrong. */
  readonly offsets: readonly number[];
}

interface Node {
  readonly type?: string;
  readonly value?: unknown;
  readonly position?: number;
  readonly steps?: readonly Node[];
  readonly [key: string]: unknown;
}

/** Children evaluated in the same context as their parent. */
const SAME_CONTEXT_KEYS = [
  "lhs",
  "rhs",
  "expressions",
  "expression",
  "arguments",
  "procedure",
  "condition",
  "then",
  "else",
  "body",
  "expr",
] as const;
/** Children evaluated against each item of their parent's value (or, for transforms, a matched object). */
const RELATIVE_KEYS = ["stages", "predicate", "group", "terms", "pattern", "update", "delete"] as const;
/** A name step with one of these does more than select a field: the static path ends after it. */
const STEP_MODIFIERS = ["stages", "predicate", "focus", "index", "ancestor", "tuple", "group"] as const;

/** The root-context paths `ast` reads, in source order, each once. `source` locates quoted names. */
export function contextReferences(ast: ExpressionNode, source: string): ContextReference[] {
  const found = new Map<number, ContextReference>();
  // Indexed by "at root": `a ?: b` shares one subtree between the condition and the result.
  const seen = [new Set<unknown>(), new Set<unknown>()] as const;
  const visit = (value: unknown, atRoot: boolean): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, atRoot);
      return;
    }
    if (typeof value !== "object" || value === null || value instanceof RegExp) return;
    const visited = seen[atRoot ? 1 : 0];
    if (visited.has(value)) return;
    visited.add(value);
    const node = value as Node;
    if (node.type === "path" && node.steps) visitPath(node, atRoot);
    for (const child of SAME_CONTEXT_KEYS) visit(node[child], atRoot);
    for (const child of RELATIVE_KEYS) visit(node[child], false);
  };
  const visitPath = (path: Node, atRoot: boolean): void => {
    const steps = path.steps!;
    const first = steps[0];
    let index = 0;
    let collecting = false;
    if (first?.type === "name") collecting = atRoot;
    else if (first?.type === "variable" && (first.value === "$" || (first.value === "" && atRoot))) {
      collecting = true;
      index = 1;
    } else {
      visit(first, atRoot);
      index = 1;
    }
    if (collecting) {
      const names: string[] = [];
      const offsets: number[] = [];
      for (; index < steps.length; index++) {
        const step = steps[index]!;
        if (step.type !== "name") break;
        names.push(String(step.value));
        offsets.push(nameStart(step, source));
        visit(step, false);
        if (STEP_MODIFIERS.some((modifier) => step[modifier] !== undefined)) {
          index++;
          break;
        }
      }
      if (names.length > 0 && !found.has(offsets[0]!)) {
        found.set(offsets[0]!, { path: names, offset: offsets[0]!, offsets });
      }
    }
    for (; index < steps.length; index++) visit(steps[index], false);
  };
  visit(ast, true);
  return [...found.values()].sort((a, b) => a.offset - b.offset);
}

/**
 * Where a name starts: JSONata gives the end. A name written `like-this` in backticks, or as a
 * string ("name" in a path is a field name too), is longer than its value by its quotes.
 */
function nameStart(step: Node, source: string): number {
  const name = String(step.value);
  const end = step.position ?? name.length;
  const last = source[end - 1];
  if (last === "`" || last === '"' || last === "'") {
    const start = end - name.length - 2;
    if (source[start] === last && source.slice(start + 1, end - 1) === name) return start;
    const open = source.lastIndexOf(last, end - 2);
    return open === -1 ? Math.max(0, start) : open;
  }
  return Math.max(0, end - name.length);
}
