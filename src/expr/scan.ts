/**
 * A tolerant lexical scan of a JSONata expression: token boundaries and bracket nesting. JSONata's
 * own errors carry only the offset where the parser stopped (the end of the offending token); this
 * scan turns that into the token's start and finds the bracket an error is about. It mirrors the
 * JSONata tokenizer closely enough for positions, never throws, and runs only on expressions that
 * failed to compile.
 */

export type TokenKind = "name" | "variable" | "string" | "number" | "regex" | "operator" | "open" | "close";

export interface Token {
  readonly kind: TokenKind;
  /** Offset of the first character, 0-based. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  readonly text: string;
}

export interface Unterminated {
  readonly kind: "string" | "quoted-name" | "comment" | "regex";
  /** Offset of the opening quote, backtick, `/*` or `/`. */
  readonly start: number;
}

export interface Scan {
  readonly tokens: readonly Token[];
  /** A string, quoted name, comment or regex that runs to the end of the expression. */
  readonly unterminated?: Unterminated;
}

const WHITESPACE = " \t\n\r\v";
/** Characters that end a name: JSONata's single-character operators. */
const SINGLE_OPERATORS = ".[]{}(),@#;:?+-*/%|=<>^&!~";
const DOUBLE_OPERATORS = ["..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"];
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?/y;

export function scanExpression(source: string): Scan {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number) =>
    tokens.push({ kind, start, end, text: source.slice(start, end) });
  let at = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (WHITESPACE.includes(char)) {
      at++;
      continue;
    }
    if (source.startsWith("/*", at)) {
      const close = source.indexOf("*/", at + 2);
      if (close === -1) return { tokens, unterminated: { kind: "comment", start: at } };
      at = close + 2;
      continue;
    }
    if (char === "/" && !endsOperand(tokens.at(-1))) {
      const end = regexEnd(source, at + 1);
      if (end === undefined) return { tokens, unterminated: { kind: "regex", start: at } };
      push("regex", at, end);
      at = end;
      continue;
    }
    const double = source.slice(at, at + 2);
    if (DOUBLE_OPERATORS.includes(double)) {
      push("operator", at, at + 2);
      at += 2;
      continue;
    }
    if (SINGLE_OPERATORS.includes(char)) {
      push("([{".includes(char) ? "open" : ")]}".includes(char) ? "close" : "operator", at, at + 1);
      at++;
      continue;
    }
    if (char === '"' || char === "'") {
      const end = stringEnd(source, at);
      if (end === undefined) return { tokens, unterminated: { kind: "string", start: at } };
      push("string", at, end);
      at = end;
      continue;
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(source);
    if (number) {
      push("number", at, at + number[0].length);
      at += number[0].length;
      continue;
    }
    if (char === "`") {
      const close = source.indexOf("`", at + 1);
      if (close === -1) return { tokens, unterminated: { kind: "quoted-name", start: at } };
      push("name", at, close + 1);
      at = close + 1;
      continue;
    }
    let end = at;
    while (
      end < source.length &&
      !WHITESPACE.includes(source[end]!) &&
      !SINGLE_OPERATORS.includes(source[end]!)
    )
      end++;
    // A lone "$" still makes progress: it is the context variable.
    end = Math.max(end, at + 1);
    const text = source.slice(at, end);
    push(
      text.startsWith("$") ? "variable" : ["and", "or", "in"].includes(text) ? "operator" : "name",
      at,
      end,
    );
    at = end;
  }
  return { tokens };
}

/** After these, "/" divides; elsewhere it starts a regular expression (as in JSONata's tokenizer). */
function endsOperand(token: Token | undefined): boolean {
  return token !== undefined && token.kind !== "operator" && token.kind !== "open";
}

function stringEnd(source: string, start: number): number | undefined {
  const quote = source[start];
  for (let at = start + 1; at < source.length; at++) {
    if (source[at] === "\\") at++;
    else if (source[at] === quote) return at + 1;
  }
  return undefined;
}

function regexEnd(source: string, from: number): number | undefined {
  let depth = 0;
  for (let at = from; at < source.length; at++) {
    const char = source[at]!;
    const escaped = source[at - 1] === "\\";
    if ("([{".includes(char) && !escaped) depth++;
    else if (")]}".includes(char) && !escaped) depth--;
    else if (char === "/" && depth === 0 && !escaped) {
      let end = at + 1;
      while (source[end] === "i" || source[end] === "m") end++;
      return end;
    }
  }
  return undefined;
}

export interface OpenBracket {
  readonly token: Token;
  /** What the bracket starts, for messages: "call", "array", "object", ... */
  readonly construct: string;
}

export const CLOSER: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

/** The brackets still open just before offset `until`, innermost last. */
export function openBrackets(scan: Scan, until = Infinity): OpenBracket[] {
  const stack: OpenBracket[] = [];
  const { tokens } = scan;
  for (let i = 0; i < tokens.length && tokens[i]!.start < until; i++) {
    const token = tokens[i]!;
    if (token.kind === "open") stack.push({ token, construct: construct(tokens, i) });
    else if (token.kind === "close") {
      const index = stack.findLastIndex((open) => CLOSER[open.token.text] === token.text);
      if (index !== -1) stack.length = index;
    }
  }
  return stack;
}

const FUNCTION_KEYWORDS = ["function", "λ"];

function construct(tokens: readonly Token[], index: number): string {
  const bracket = tokens[index]!.text;
  const before = tokens[index - 1];
  const operand = endsOperand(before);
  if (bracket === "(") {
    if (FUNCTION_KEYWORDS.includes(before?.text ?? "")) return "function parameters";
    return operand ? "call" : "parentheses";
  }
  if (bracket === "[") return operand ? "filter" : "array";
  // `function($x) {`: the brace after the parameter list is the function body.
  if (
    before?.text === ")" &&
    FUNCTION_KEYWORDS.includes(tokens[matchingOpen(tokens, index - 1) - 1]?.text ?? "")
  )
    return "function body";
  return operand ? "grouping" : "object";
}

function matchingOpen(tokens: readonly Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (tokens[i]!.kind === "close") depth++;
    else if (tokens[i]!.kind === "open" && --depth === 0) return i;
  }
  return -1;
}
