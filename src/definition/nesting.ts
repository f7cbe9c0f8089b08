/**
 * A linear scan that bounds nesting depth before the YAML parser, which recurses, ever sees the text.
 * It over-approximates (it is a guard, not a parser): block indentation levels, compact `- - -`
 * sequence markers and open flow brackets `[`/`{` outside quotes and comments all count as levels.
 */
export function measureNesting(text: string, maxDepth: number): { exceeded: boolean; offset: number } {
  const indents: number[] = [];
  let flowDepth = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const depth = lineDepth(line, indents, flowDepth, maxDepth);
    flowDepth = depth.flowDepth;
    if (depth.max > maxDepth) return { exceeded: true, offset: lineStart + depth.at };
    lineStart = lineEnd + 1;
  }
  return { exceeded: false, offset: 0 };
}

/** The line's deepest level, and where it first went past `maxDepth` (where the error points). */
function lineDepth(
  line: string,
  indents: number[],
  flowDepth: number,
  maxDepth: number,
): { max: number; flowDepth: number; at: number } {
  const content = line.trimStart();
  if (content === "" || content.startsWith("#")) return { max: 0, flowDepth, at: 0 };
  const indent = line.length - content.length;
  if (flowDepth === 0) {
    while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
    indents.push(indent);
  }
  let depth = indents.length + flowDepth;
  let max = depth;
  let at = indent;
  let quote: string | undefined;
  let valueStart = true; // a flow collection can only open where a value starts
  for (let i = indent; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "#" && (i === 0 || line[i - 1] === " ")) break;
    if (c === '"' || c === "'") {
      if (valueStart || flowDepth > 0) quote = c;
      valueStart = false;
    } else if (c === "-" && valueStart && (line[i + 1] === " " || i + 1 === line.length)) {
      depth++;
    } else if ((c === "[" || c === "{") && (valueStart || flowDepth > 0)) {
      flowDepth++;
      depth++;
      valueStart = true;
    } else if ((c === "]" || c === "}") && flowDepth > 0) {
      flowDepth--;
      depth--;
    } else if (c === ":" && (line[i + 1] === " " || i + 1 === line.length)) {
      valueStart = true;
    } else if (c === "," && flowDepth > 0) {
      valueStart = true;
    } else if (c !== " " && c !== "\t") {
      valueStart = false;
    }
    if (depth > max) {
      if (max <= maxDepth) at = i;
      max = depth;
    }
  }
  return { max, flowDepth, at };
}
