/**
 * compileExpression: JSONata text -> a compiled expression, or a clear failure with its position.
 * Compile once (on lint, on deploy) and evaluate many times with evaluateExpression.
 */
import jsonata from "jsonata";
import { FORBIDDEN_FUNCTIONS, installGuards } from "./guards.js";
import type { JsonataErrorLike } from "./syntax-error.js";
import { describeSyntaxError } from "./syntax-error.js";

export interface CompileOptions {
  /**
   * Longest expression, in characters; a longer one is refused before it is parsed.
   * @default 4096
   */
  readonly maxLength?: number;
}

export const DEFAULT_MAX_EXPRESSION_LENGTH = 4096;

/** A JSONata expression tree node, as `jsonata(...).ast()` returns it. */
export type ExpressionNode = jsonata.ExprNode;

export interface CompiledExpression {
  readonly ok: true;
  readonly source: string;
  /** The JSONata expression, with Charter's guards installed; evaluate it with evaluateExpression. */
  readonly expression: jsonata.Expression;
  readonly ast: ExpressionNode;
}

export const COMPILE_FAILURES = {
  "too-long": "longer than the maxLength option",
  syntax: "not valid JSONata",
  "not-allowed": "valid JSONata, but calls a function a charter expression may not use",
} as const;
export type CompileFailureCode = keyof typeof COMPILE_FAILURES;

export interface CompileFailure {
  readonly ok: false;
  readonly code: CompileFailureCode;
  /** One lowercase sentence: what is wrong and, where it helps, how to fix it. */
  readonly message: string;
  /** 0-based offset into the source of the token the failure is about. */
  readonly offset: number;
}

export type CompileResult = CompiledExpression | CompileFailure;

/** An expression's syntax tree without the evaluable expression: what the linter needs. */
export interface ParsedExpression {
  readonly ok: true;
  readonly source: string;
  readonly ast: ExpressionNode;
}

export type ParseResult = ParsedExpression | CompileFailure;

export function compileExpression(source: string, options: CompileOptions = {}): CompileResult {
  const long = tooLong(source, options);
  if (long) return long;
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source);
  } catch (error) {
    return { ok: false, code: "syntax", ...parseFailure(error, source) };
  }
  const ast = expression.ast();
  const forbidden = checkAllowed(ast);
  if (forbidden) return forbidden;
  installGuards(expression);
  return { ok: true, source, expression, ast };
}

/** The too-long failure, checked before anything reads the text. */
export function tooLong(source: string, options: CompileOptions = {}): CompileFailure | undefined {
  const maxLength = options.maxLength ?? DEFAULT_MAX_EXPRESSION_LENGTH;
  if (source.length <= maxLength) return undefined;
  return {
    ok: false,
    code: "too-long",
    message: `expression is ${source.length} characters long; the limit is ${maxLength} (option maxExpressionLength). Move the logic into a handler or split it into decision rules.`,
    offset: maxLength,
  };
}

/** The not-allowed failure of a syntax tree that uses a forbidden function. */
export function checkAllowed(ast: ExpressionNode): CompileFailure | undefined {
  const forbidden = findForbiddenCall(ast);
  return forbidden && { ok: false, code: "not-allowed", ...forbidden };
}

function parseFailure(error: unknown, source: string): { message: string; offset: number } {
  // The parser is recursive: thousands of nested brackets overflow the stack before any limit.
  if (error instanceof RangeError) {
    return { message: "expression is nested too deeply to read; flatten it", offset: 0 };
  }
  return describeSyntaxError(error as JsonataErrorLike, source);
}

/** The first `$eval`-like variable: refused statically, so lint reports it (and at run time too). */
function findForbiddenCall(ast: ExpressionNode): { message: string; offset: number } | undefined {
  for (const { type, value, position } of treeNodes(ast)) {
    if (type === "variable" && typeof value === "string" && Object.hasOwn(FORBIDDEN_FUNCTIONS, value)) {
      const end = typeof position === "number" ? position : value.length + 1;
      return { message: FORBIDDEN_FUNCTIONS[value]!, offset: Math.max(0, end - value.length - 1) };
    }
  }
  return undefined;
}

/**
 * Every node of a syntax tree once (JSONata shares some subtrees), depth first, parent before its
 * children. The caller may change a node's numbers (its `position`) before the walk goes on.
 */
export function* treeNodes(tree: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<object>();
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null || node instanceof RegExp || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]));
      continue;
    }
    yield node as Record<string, unknown>;
    for (const child of Object.values(node)) if (typeof child === "object") stack.push(child);
  }
}

/** @internal Test-only access: compile without the static checks, to prove the run-time guards. */
export const _internals = {
  compileUnchecked(source: string): CompiledExpression {
    const expression = jsonata(source);
    installGuards(expression);
    return { ok: true, source, expression, ast: expression.ast() };
  },
};
