/**
 * An expression's result -> plain JSON data, measured as it is copied. JSONata returns arrays
 * flagged as sequences, objects without a prototype and, for some expressions, functions; the run
 * context stores only data, so the copy is what callers get.
 */
import { ExpressionError } from "./errors.js";

/** Results nest at most this deep; deeper data comes only from a pathological input or expression. */
const MAX_RESULT_NESTING = 1000;

/**
 * A plain-data copy of `value`, or an ExpressionError when it holds a function or its JSON text
 * would exceed `maxBytes` (UTF-8, without whitespace). `undefined` (no match) stays `undefined`.
 */
export function toJsonResult(value: unknown, maxBytes: number): unknown {
  const state = { bytes: 0, maxBytes };
  return value === undefined ? undefined : copy(value, state, 0);
}

interface State {
  bytes: number;
  readonly maxBytes: number;
}

function copy(value: unknown, state: State, depth: number): unknown {
  if (depth > MAX_RESULT_NESTING) {
    throw tooLarge(state, `the result is nested deeper than ${MAX_RESULT_NESTING} levels`);
  }
  if (value === null || typeof value === "boolean" || typeof value === "number") {
    const text = typeof value === "number" && !Number.isFinite(value) ? "null" : String(value);
    add(state, text.length);
    return value;
  }
  if (typeof value === "string") {
    add(state, Buffer.byteLength(JSON.stringify(value), "utf8"));
    return value;
  }
  if (typeof value === "function" || isJsonataFunction(value)) {
    throw new ExpressionError(
      "EXPRESSION_FAILED",
      "expression evaluated to a function; an expression must produce data (call the function instead)",
    );
  }
  if (Array.isArray(value)) {
    add(state, 2 + Math.max(0, value.length - 1));
    // JSON turns holes and undefined items into null.
    return value.map((item: unknown) =>
      item === undefined ? (add(state, 4), null) : copy(item, state, depth + 1),
    );
  }
  if (typeof value === "object") {
    const result: Record<string, unknown> = {};
    let first = true;
    add(state, 2);
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      add(state, Buffer.byteLength(JSON.stringify(key), "utf8") + 1 + (first ? 0 : 1));
      first = false;
      // defineProperty, so that a key named "__proto__" stays a key and never sets the prototype.
      Object.defineProperty(result, key, {
        value: copy(item, state, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
  // bigint or symbol: JSONata never produces them, and JSON cannot hold them.
  throw new ExpressionError(
    "EXPRESSION_FAILED",
    `expression evaluated to a ${typeof value}, which is not data`,
  );
}

function isJsonataFunction(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const flags = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return flags._jsonata_lambda === true || flags._jsonata_function === true;
}

function add(state: State, bytes: number): void {
  state.bytes += bytes;
  if (state.bytes > state.maxBytes) {
    throw tooLarge(state, `the result is larger than ${state.maxBytes} bytes`);
  }
}

function tooLarge(state: State, what: string): ExpressionError {
  return new ExpressionError(
    "EXPRESSION_RESULT_TOO_LARGE",
    `${what} (option maxResultBytes); select the fields you need instead of whole lists`,
    { details: { maxResultBytes: state.maxBytes } },
  );
}
