/**
 * parseExpressions: the syntax trees of many expressions at once, for the linter.
 *
 * JSONata builds its parser's symbol table on every call, about 80 µs before it reads a character:
 * 5,000 expressions parsed one by one cost 400 ms. Here expressions are parsed in chunks, as the
 * elements of one array, `[(e1),(e2),...]`, and each element's tree is taken back out with its
 * positions made relative to its own text again. A chunk is trusted only if it yields exactly one
 * element per expression, each starting at its own `(` and holding a single expression, which
 * means each text parsed on its own. Otherwise (some expression is invalid) the chunk is halved
 * until the invalid ones are parsed alone, which gives their exact error.
 */
import jsonata from "jsonata";
import type { CompileOptions, ExpressionNode, ParseResult } from "./compile.js";
import { checkAllowed, compileExpression, tooLong, treeNodes } from "./compile.js";

const CHUNK = 256;

/** One result per source, in order: a syntax tree, or the failure compileExpression would give. */
export function parseExpressions(sources: readonly string[], options: CompileOptions = {}): ParseResult[] {
  const results: ParseResult[] = new Array<ParseResult>(sources.length);
  const pending: number[] = [];
  sources.forEach((source, i) => {
    const long = tooLong(source, options);
    if (long) results[i] = long;
    else pending.push(i);
  });
  for (let from = 0; from < pending.length; from += CHUNK) {
    parseChunk(sources, pending.slice(from, from + CHUNK), results, options);
  }
  return results;
}

function parseChunk(
  sources: readonly string[],
  indexes: readonly number[],
  results: ParseResult[],
  options: CompileOptions,
): void {
  if (indexes.length === 1) {
    const i = indexes[0]!;
    const compiled = compileExpression(sources[i]!, options);
    results[i] = compiled.ok ? { ok: true, source: compiled.source, ast: compiled.ast } : compiled;
    return;
  }
  const trees = parseTogether(indexes.map((i) => sources[i]!));
  if (!trees) {
    const half = Math.ceil(indexes.length / 2);
    parseChunk(sources, indexes.slice(0, half), results, options);
    parseChunk(sources, indexes.slice(half), results, options);
    return;
  }
  indexes.forEach((i, n) => {
    const ast = trees[n]!;
    results[i] = checkAllowed(ast) ?? { ok: true, source: sources[i]!, ast };
  });
}

interface Node {
  type?: string;
  value?: unknown;
  position?: number;
  expressions?: Node[];
}

/** The trees of `sources` parsed as one array, or undefined when that is not exactly one per source. */
function parseTogether(sources: readonly string[]): ExpressionNode[] | undefined {
  const starts: number[] = [];
  let text = "[";
  for (const source of sources) {
    if (starts.length > 0) text += ",";
    starts.push(text.length);
    text += `(${source})`;
  }
  text += "]";
  let root: Node;
  try {
    root = jsonata(text).ast() as Node;
  } catch {
    return undefined; // some expression is invalid: the caller parses smaller chunks
  }
  const elements = root.type === "unary" && root.value === "[" ? root.expressions : undefined;
  if (!elements || elements.length !== sources.length) return undefined;
  const trees: ExpressionNode[] = [];
  for (const [n, element] of elements.entries()) {
    // A block's position is just past its "(": the start of the expression's own text.
    const base = starts[n]! + 1;
    if (element.type !== "block" || element.position !== base || element.expressions?.length !== 1)
      return undefined;
    const tree = element.expressions[0]!;
    shiftPositions(tree, base);
    trees.push(tree as ExpressionNode);
  }
  return trees;
}

/** Make every `position` in a tree relative to its own expression (shared subtrees shifted once). */
function shiftPositions(tree: unknown, by: number): void {
  for (const node of treeNodes(tree)) if (typeof node.position === "number") node.position -= by;
}
