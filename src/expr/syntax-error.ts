/**
 * JSONata syntax errors -> one clear lowercase sentence and the offset of the token it is about.
 * JSONata reports where its parser stopped (usually the end of the offending token) and a code;
 * the scan in scan.ts recovers the token's start and the bracket an error is about.
 */
import type { OpenBracket, Scan } from "./scan.js";
import { CLOSER, openBrackets, scanExpression } from "./scan.js";

/** The fields of an error thrown by the JSONata parser (a plain object, not an Error). */
export interface JsonataErrorLike {
  readonly code?: string;
  readonly position?: number;
  readonly token?: unknown;
  readonly value?: unknown;
  readonly message?: string;
}

export interface SyntaxProblem {
  readonly message: string;
  /** 0-based offset into the expression. */
  readonly offset: number;
}

const END = "(end)";

/** What a describer knows about one error. */
interface ErrorFacts {
  readonly source: string;
  readonly scan: Scan;
  /** Where JSONata stopped, within the source. */
  readonly position: number;
  /** The offending token, "(end)" at the end of the expression. */
  readonly token: string;
  /** What JSONata expected, or the value the error is about. */
  readonly value: string;
  /** The start of the offending token (the end of the expression for "(end)"). */
  readonly at: number;
}

type Describer = (facts: ErrorFacts) => SyntaxProblem;

const DESCRIBERS: Readonly<Record<string, Describer>> = {
  S0101: (f) => unterminated(f, "string is never closed: add the closing quote"),
  S0105: (f) => unterminated(f, "name quoted with a backtick (`) is never closed: add the closing `"),
  S0106: (f) => ({ message: 'comment is never closed: add "*/"', offset: f.position }),
  S0302: (f) => unterminated(f, 'regular expression is never closed: add the closing "/"'),
  S0301: (f) => ({ message: "a regular expression cannot be empty", offset: Math.max(0, f.position - 1) }),
  S0102: (f) => ({ message: `number ${f.token} is out of range`, offset: f.position }),
  S0103: (f) => ({
    message: `unsupported escape sequence "\\${f.token}" in a string; write "\\\\" for a backslash`,
    offset: Math.max(0, f.position - 1),
  }),
  S0104: (f) => ({
    message: '"\\u" in a string must be followed by 4 hex digits',
    offset: Math.max(0, f.position - 1),
  }),
  S0201: (f) => unexpected(f),
  S0205: (f) => unexpected(f),
  S0202: (f) => expectedGot(f),
  S0203: (f) => expectedClose(f),
  S0204: (f) => ({ message: `unknown operator "${f.token}"`, offset: f.at }),
  S0206: (f) => endedEarly(f),
  S0207: (f) => endedEarly(f),
  S0208: (f) => ({
    message: `parameter ${f.value} of a function must be a variable name starting with "$" (e.g. $x), got "${f.token}"`,
    offset: f.at,
  }),
  S0211: (f) => ({ message: `unexpected "${f.token}": a value was expected here`, offset: f.at }),
  S0212: (f) => ({
    message: 'the left side of ":=" must be a variable name starting with "$"',
    offset: f.at,
  }),
  S0213: (f) => ({
    message: `the number ${f.value} cannot be a step in a path; quote a field named ${f.value} with backticks (\`${f.value}\`)`,
    offset: tokenStart(f.scan, f.position, f.value),
  }),
};

export function describeSyntaxError(error: JsonataErrorLike, source: string): SyntaxProblem {
  const scan = scanExpression(source);
  const position = clamp(error.position ?? 0, source);
  const token = error.token === undefined ? "" : String(error.token);
  const value = error.value === undefined ? "" : String(error.value);
  const at = token === END ? endOffset(source) : tokenStart(scan, position, token);
  const describe = DESCRIBERS[error.code ?? ""];
  if (describe) return describe({ source, scan, position, token, value, at });
  return {
    message: lowercaseFirst(error.message ?? "syntax error"),
    offset: error.position === undefined ? 0 : at,
  };
}

/** "at column 5", or "at line 2, column 5" in a multi-line expression (1-based, like an editor). */
export function describeOffset(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return line === 1 ? `at column ${column}` : `at line ${line}, column ${column}`;
}

export function lowercaseFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function clamp(offset: number, source: string): number {
  return Math.min(Math.max(0, offset), source.length);
}

/** Just past the last character that is not whitespace: where "the end" is for a reader. */
function endOffset(source: string): number {
  return source.trimEnd().length;
}

/** JSONata reports the end of a token; find the token that ends there (or covers it). */
function tokenStart(scan: Scan, position: number, token: string | undefined): number {
  const exact = scan.tokens.find((t) => t.end === position);
  if (exact) return exact.start;
  const covering = scan.tokens.find((t) => t.start <= position && position < t.end);
  if (covering) return covering.start;
  return Math.max(0, position - (token?.length ?? 0));
}

function unterminated(f: ErrorFacts, message: string): SyntaxProblem {
  return { message, offset: f.scan.unterminated?.start ?? endOffset(f.source) };
}

/** The innermost bracket open before `offset` that `closer` would close. */
function closing(scan: Scan, offset: number, closer: string): OpenBracket | undefined {
  return openBrackets(scan, offset).findLast((open) => CLOSER[open.token.text] === closer);
}

function expectedGot(f: ErrorFacts): SyntaxProblem {
  const got = f.token === END ? "the end of the expression" : quoted(tokenText(f.scan, f.at) ?? f.token);
  const bracket = closing(f.scan, f.at, f.value);
  if (!bracket) return { message: `expected "${f.value}", got ${got}`, offset: f.at };
  const separator = bracket.token.text === "(" && bracket.construct === "parentheses" ? ";" : ",";
  return {
    message: `expected "${separator}" or "${f.value}" in the ${bracket.construct} started ${describeOffset(f.source, bracket.token.start)}, got ${got}`,
    offset: f.at,
  };
}

function expectedClose(f: ErrorFacts): SyntaxProblem {
  const bracket = closing(f.scan, f.source.length, f.value);
  if (!bracket) return { message: `expected "${f.value}" before the end of the expression`, offset: f.at };
  return {
    message: `expected "${f.value}" to close the ${bracket.construct} started ${describeOffset(f.source, bracket.token.start)}`,
    offset: f.at,
  };
}

function unexpected(f: ErrorFacts): SyntaxProblem {
  if (f.token === END) return { message: "the expression ends too early", offset: f.at };
  const index = f.scan.tokens.findIndex((t) => t.start === f.at);
  const current = f.scan.tokens[index];
  const previous = f.scan.tokens[index - 1];
  const text = quoted(current?.text ?? f.token);
  const isOperand = (kind: string | undefined) =>
    ["name", "variable", "string", "number"].includes(kind ?? "");
  let message = `unexpected ${text}`;
  if (isOperand(current?.kind) && (isOperand(previous?.kind) || previous?.kind === "close"))
    message += ': is an operator (and, or, =, +, ...) or a "." missing before it?';
  else if (current?.text === ";" && !openBrackets(f.scan, f.at).some((o) => o.construct === "parentheses"))
    message += ": put a sequence of expressions in parentheses, e.g. ($x := input.a; $x + 1)";
  return { message, offset: f.at };
}

function endedEarly(f: ErrorFacts): SyntaxProblem {
  const last = f.scan.tokens.at(-1);
  if (!last) return { message: "the expression is empty", offset: 0 };
  return {
    message: `the expression ends after "${last.text}": a value is missing`,
    offset: endOffset(f.source),
  };
}

/** A token as a message shows it: strings keep their own quotes, anything else gets double quotes. */
function quoted(text: string): string {
  return /^["']/.test(text) ? text : `"${text}"`;
}

function tokenText(scan: Scan, offset: number): string | undefined {
  return scan.tokens.find((t) => t.start === offset)?.text;
}
