/**
 * Keyset pagination: a page ends with the sort key of its last item, and the next page starts after
 * it (`WHERE (a, b) > (?, ?)`), so a page costs the same at the start and deep into a list. The
 * cursor is that key as base64url JSON: opaque to callers, checked when it comes back.
 */
import { CharterError } from "../../errors.js";
import { PAGE_LIMITS } from "../store.js";
import type { Page } from "../store.js";

type KeyPart = "number" | "string";
type Key<S extends readonly KeyPart[]> = {
  -readonly [I in keyof S]: S[I] extends "number" ? number : string;
};

/** The page size asked for, checked against {@link PAGE_LIMITS}. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return PAGE_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMITS.max) {
    throw new CharterError(
      "INVALID_OPTION",
      `limit must be an integer from 1 to ${PAGE_LIMITS.max}, not ${limit}`,
      {
        details: { option: "limit", value: limit },
      },
    );
  }
  return limit;
}

/**
 * Text order as SQLite's default BINARY collation sorts it (UTF-8 bytes), which is not the order of
 * JavaScript's `<` (UTF-16 units). Rows merged in JavaScript must agree with the SQL keyset.
 */
export function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** The key in a cursor, or `undefined` for no cursor; throws for a cursor of another shape. */
export function decodeCursor<const S extends readonly KeyPart[]>(
  cursor: string | undefined,
  shape: S,
): Key<S> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    key = undefined; // not JSON: reported just below with the other malformed cursors
  }
  const fits =
    Array.isArray(key) && key.length === shape.length && shape.every((type, i) => typeof key[i] === type);
  if (!fits) {
    throw new CharterError(
      "INVALID_OPTION",
      `"after" is not a cursor from this list: ${JSON.stringify(cursor)}`,
      {
        details: { option: "after", value: cursor },
      },
    );
  }
  return key as Key<S>;
}

/**
 * A page from `limit + 1` rows fetched in order: the extra row only says that a next page exists.
 */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
  keyOf: (row: R) => readonly (string | number)[],
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last !== undefined
    ? { items: items.map(map), next: encodeCursor(keyOf(last)) }
    : { items: items.map(map) };
}
