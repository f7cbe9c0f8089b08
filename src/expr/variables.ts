/**
 * `$name`s an expression uses without binding them: a misspelt function (`$summ`) or a variable
 * nobody assigned (`$limit`) would only fail, or quietly give nothing, when a run gets there.
 * Charter binds no variables of its own; JSONata's functions and the expression's own bindings
 * (`$x := ...`, `function($l) {...}`, `@$item`, `#$i`) are the only names there are.
 */
import type { ExpressionNode } from "./compile.js";

/** JSONata 2.x's built-in functions (checked against the library by a test). */
export const BUILTIN_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    "string length substring substringBefore substringAfter uppercase lowercase trim pad contains split join " +
    "match replace eval base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl " +
    "formatNumber formatBase formatInteger parseInteger number abs floor ceil round power sqrt random sum max " +
    "min average count boolean not exists append sort reverse shuffle distinct zip keys lookup spread merge " +
    "sift each error assert type now millis fromMillis toMillis map filter single reduce clone"
  ).split(" "),
);

export interface UnboundName {
  readonly name: string;
  /** Offset of the `$` in the expression. */
  readonly offset: number;
  readonly called: boolean;
}

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
  focus?: string;
  index?: string;
  procedure?: AstNode;
  lhs?: AstNode;
  arguments?: AstNode[];
  [key: string]: unknown;
}

export function unboundNames(ast: ExpressionNode): UnboundName[] {
  const bound = new Set<string>(["", "$"]); // `$` (the context) and `$$` (the root)
  const used: { node: AstNode; called: boolean }[] = [];
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    const n = node as AstNode;
    if (n.type === "bind" && n.lhs?.type === "variable") bound.add(String(n.lhs.value));
    if (n.type === "lambda") for (const arg of n.arguments ?? []) bound.add(String(arg.value));
    if (typeof n.focus === "string") bound.add(n.focus);
    if (typeof n.index === "string") bound.add(n.index);
    if (n.type === "function" && n.procedure?.type === "variable")
      used.push({ node: n.procedure, called: true });
    else if (n.type === "variable") used.push({ node: n, called: false });
    for (const [key, value] of Object.entries(n))
      if (key !== "procedure" || n.type !== "function") stack.push(value);
  }
  const seen = new Set<number>();
  return used
    .filter(({ node }) => !bound.has(String(node.value)) && !BUILTIN_FUNCTIONS.has(String(node.value)))
    .map(({ node, called }) => {
      const name = String(node.value);
      return { name, called, offset: Math.max(0, (node.position ?? 0) - name.length - 1) };
    })
    .filter(({ offset }) => (seen.has(offset) ? false : (seen.add(offset), true)))
    .sort((a, b) => a.offset - b.offset);
}
